import { locate, type Rule } from '../src/rule.js';

/** A file GitHub cannot read as a workflow; the scan reports it and goes on. */
export const workflowSyntax: Rule = {
  id: 'workflow-syntax',
  defaultSeverity: 'error',
  description: 'a workflow file that is not valid YAML, not a mapping, or has no usable on:',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      for (const error of workflow.syntaxErrors) report({ location: locate(workflow, error.position), identity: [error.message.replace(/\d+/g, '#')], message: `${workflow.path}: ${error.message}` });
    }
  },
};
