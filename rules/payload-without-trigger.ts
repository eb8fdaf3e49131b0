import { locate, type Rule } from '../src/rule.js';

/** Without a repository_dispatch trigger github.event.client_payload does not exist: every read is empty. */
export const payloadWithoutTrigger: Rule = {
  id: 'payload-without-trigger',
  defaultSeverity: 'warning',
  description: 'a workflow reads github.event.client_payload but is not triggered by repository_dispatch',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      // A reusable workflow sees its caller's event, which may be a repository_dispatch.
      if (workflow.repositoryDispatch || workflow.triggers.includes('workflow_call')) continue;
      const first = [workflow.payloadReads[0]?.position, workflow.clientPayloadWhole]
        .filter((position) => position !== undefined)
        .sort((a, b) => a.line - b.line || a.column - b.column)[0];
      if (!first || workflow.triggers.length === 0) continue;
      report({
        location: locate(workflow, first),
        identity: [],
        message: `${workflow.path} reads github.event.client_payload, but it runs only on ${workflow.triggers.join(', ')}, never on repository_dispatch, so the value is always empty`,
      });
    }
  },
};
