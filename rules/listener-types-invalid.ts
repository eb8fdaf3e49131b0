import { locate, type Rule } from '../src/rule.js';

/** A misspelt `types:` is ignored silently: the workflow then runs on every event type. */
export const listenerTypesInvalid: Rule = {
  id: 'listener-types-invalid',
  defaultSeverity: 'error',
  description: 'on.repository_dispatch with an unknown key, a scalar or empty types, or a misspelt dispatch trigger',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      for (const problem of workflow.listenerProblems) report({ location: locate(workflow, problem.position), identity: [problem.message], message: `${workflow.path}: ${problem.message}` });
    }
  },
};
