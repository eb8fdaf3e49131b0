import { baseName } from '../src/graph/index.js';
import { locate, relate, type Rule } from '../src/rule.js';
import { suggest } from '../src/suggest.js';
import { distinctWorkflowDispatches } from './support.js';

/** The API answers 404 for a workflow the target lacks and 422 for one without a workflow_dispatch trigger. */
export const workflowDispatchTarget: Rule = {
  id: 'workflow-dispatch-target',
  defaultSeverity: 'error',
  description: 'a workflow_dispatch names a workflow the target repository lacks, or one without a workflow_dispatch trigger',
  check({ index, report }) {
    for (const send of distinctWorkflowDispatches(index.sends)) {
      const target = send.target.value;
      const id = send.workflow?.value;
      if (target === undefined || id === undefined || !send.workflow || !index.isScanned(target) || /^\d+$/.test(id)) continue;
      const repository = index.repository(target);
      const targetName = repository?.name ?? target;
      const byName = send.workflowByName ?? false;
      if (id.trim() === '') {
        report({ location: locate(send, send.workflow.position), identity: ['unnamed', target.toLowerCase()], message: `${send.repo} sends a workflow_dispatch to ${targetName} without naming a workflow` });
        continue;
      }
      const alternatives = send.workflowAlternatives ?? [];
      const workflow = index.findWorkflow(target, id, byName, alternatives);
      if (!workflow) {
        const candidates = (repository?.workflows ?? []).flatMap((candidate) => [baseName(candidate.path), ...(byName && candidate.name ? [candidate.name] : [])]);
        const nearest = suggest(id, candidates);
        const suggested = nearest === undefined ? undefined : index.findWorkflow(target, nearest, byName);
        const stubNote = suggested?.alwaysFails && !send.ref ? `, a stub that fails unless dispatched with the ref of its real copy (give ref:)` : '';
        const missing = byName
          ? `${targetName} has no workflow with that file name or \`name:\`, so the dispatch fails`
          : alternatives.length > 0
            ? `${targetName} has no workflow file '${id}' or ${alternatives.map((name) => `'${name}'`).join(' or ')}, so the dispatch fails`
            : `${targetName} has no workflow file '${id}' (the REST API finds workflows by file name or id, not by \`name:\`), so GitHub answers 404`;
        report({
          location: locate(send, send.workflow.position),
          identity: ['missing', target.toLowerCase(), id],
          message: `${send.repo} dispatches workflow '${id}', but ${missing}${nearest ? `; did you mean '${nearest}'${stubNote}?` : ''}`,
        });
        continue;
      }
      if (workflow.workflowDispatch && workflow.alwaysFails && !send.ref) {
        report({
          location: locate(send, send.workflow.position),
          identity: ['stub', target.toLowerCase(), id],
          message: `${send.repo} dispatches workflow '${id}' in ${targetName} with no ref, so it runs the copy on the default branch, and there every job of ${workflow.path} fails (a registration stub for a copy on another branch; give ref: that branch)`,
          related: [relate(workflow, workflow.alwaysFails, 'fails here')],
        });
        continue;
      }
      if (!workflow.workflowDispatch) {
        report({
          location: locate(send, send.workflow.position),
          identity: ['no-trigger', target.toLowerCase(), id],
          message: `${send.repo} dispatches workflow '${id}' in ${targetName}, but ${workflow.path} has no workflow_dispatch trigger, so GitHub answers 422 "Workflow does not have 'workflow_dispatch' trigger"`,
          related: [relate(workflow, workflow.onPosition ?? { line: 1, column: 1, endLine: 1, endColumn: 1 }, `triggers: ${workflow.triggers.join(', ') || 'none'}`)],
        });
      }
    }
  },
};
