import type { WorkflowFacts } from '../src/model.js';
import { locate, type Rule } from '../src/rule.js';
import { suggest } from '../src/suggest.js';
import { placeKey, uniqueBy } from './support.js';

/**
 * `inputs.x` (or `github.event.inputs.x`) with no `x` declared is an empty string, silently: often an input
 * renamed on one side, or copied from another workflow. Declarations of both `workflow_dispatch` and
 * `workflow_call` count, since a reusable workflow's inputs arrive through `inputs` too.
 */
export const inputNotDeclared: Rule = {
  id: 'input-not-declared',
  defaultSeverity: 'error',
  description: 'a workflow reads inputs.X or github.event.inputs.X that neither its workflow_dispatch nor its workflow_call declares, so it is always empty',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      const declared = declaredInputs(workflow);
      const reads = uniqueBy(workflow.inputReads ?? [], (read) => placeKey(workflow, read.position, read.name?.toLowerCase() ?? ''));
      for (const read of reads) {
        if (read.name === undefined || declared.some((name) => name.toLowerCase() === read.name?.toLowerCase())) continue;
        const expression = `${read.via ?? 'inputs'}.${read.name}`;
        const nearest = suggest(read.name, declared);
        const where = workflow.workflowDispatch || workflow.workflowCall
          ? `neither the workflow_dispatch nor the workflow_call of ${workflow.path} declares an input '${read.name}'${nearest ? ` (did you mean '${nearest}'?)` : declared.length > 0 ? ` (it declares ${declared.map((name) => `'${name}'`).join(', ')})` : ''}`
          : `${workflow.path} has no workflow_dispatch or workflow_call trigger to declare it`;
        report({
          location: locate(workflow, read.position),
          identity: [read.name.toLowerCase()],
          message: `${expression} is read here, but ${where}, so it is always empty`,
        });
      }
    }
  },
};

export function declaredInputs(workflow: WorkflowFacts): string[] {
  return [...(workflow.workflowDispatch?.inputs ?? []), ...(workflow.workflowCall?.inputs ?? [])].map((input) => input.name);
}
