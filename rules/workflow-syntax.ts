import { locate, type Rule } from '../src/rule.js';

/**
 * A file GitHub cannot read as a workflow; the scan reports it and goes on. Parts of a file that dispatch-lint
 * itself could not read (a script it cannot parse, a payload nested beyond its limits) are notes: the file may be
 * fine, but what those parts send is not checked, and a user should know that rather than read silence as clean.
 */
export const workflowSyntax: Rule = {
  id: 'workflow-syntax',
  defaultSeverity: 'error',
  description: 'a workflow file that is not valid YAML, not a mapping, or has no usable on: (and, as notes, parts dispatch-lint could not read)',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      for (const error of workflow.syntaxErrors) report({ location: locate(workflow, error.position), identity: [error.message.replace(/\d+/g, '#')], message: `${workflow.path}: ${error.message}` });
      for (const note of workflow.notes) {
        report({ location: locate(workflow, note.position), identity: ['note', note.message.replace(/\d+/g, '#')], message: `${workflow.path}: ${note.message}`, asNote: true });
      }
    }
  },
};
