import { locate, relate, type Rule } from '../src/rule.js';
import { suggest } from '../src/suggest.js';
import { distinctWorkflowDispatches, quoteList } from './support.js';

/** GitHub checks inputs when it accepts a workflow_dispatch: a mismatch fails the request with 422. */
export const workflowDispatchInputs: Rule = {
  id: 'workflow-dispatch-inputs',
  defaultSeverity: 'error',
  description: 'workflow_dispatch inputs sent but not declared, required inputs not sent, choice values outside options, too many declared inputs',
  check({ index, config, report }) {
    const limit = config.limits.workflowInputs;
    for (const workflow of index.workflows) {
      const declared = workflow.workflowDispatch?.inputs ?? [];
      if (declared.length > limit && workflow.workflowDispatch) {
        report({
          location: locate(workflow, workflow.workflowDispatch.inputsPosition ?? workflow.workflowDispatch.position),
          identity: ['too-many'],
          message: `${workflow.path} declares ${declared.length} workflow_dispatch inputs; GitHub accepts at most ${limit} (limits.workflowInputs)`,
        });
      }
    }
    for (const send of distinctWorkflowDispatches(index.sends)) {
      const target = send.target.value;
      const id = send.workflow?.value;
      if (target === undefined || id === undefined || !send.workflow) continue;
      const workflow = index.findWorkflow(target, id, send.workflowByName ?? false, send.workflowAlternatives);
      const trigger = workflow?.workflowDispatch;
      if (!workflow || !trigger || send.payload.kind === 'unknown' || send.payload.kind === 'not-object') continue;
      const where = `${workflow.repo}/${workflow.path}`;
      const declaredNames = trigger.inputs.map((input) => input.name);
      const fields = send.payload.kind === 'object' ? send.payload.fields.filter((field) => field.path.length === 1) : [];
      const sent = new Set(fields.map((field) => field.path[0]?.toLowerCase()));
      const inputNamed = (name: string) => trigger.inputs.find((input) => input.name.toLowerCase() === name.toLowerCase());

      for (const field of fields) {
        const name = field.path[0] as string;
        const input = inputNamed(name);
        if (!input) {
          const nearest = suggest(name, declaredNames);
          report({
            location: locate(send, field.position),
            identity: ['undeclared', target.toLowerCase(), id, name.toLowerCase()],
            message: `${send.repo} sends input '${name}' that ${where} does not declare, so GitHub answers 422 "Unexpected inputs provided"${nearest ? ` (did you mean '${nearest}'?)` : declaredNames.length ? `; it declares ${quoteList(declaredNames)}` : '; it declares no inputs'}`,
            related: [relate(workflow, trigger.inputsPosition ?? trigger.position, `declares: ${declaredNames.join(', ') || 'no inputs'}`)],
          });
        } else if (input.type === 'choice' && input.options && field.value !== undefined && !input.options.includes(field.value)) {
          report({
            location: locate(send, field.valuePosition ?? field.position),
            identity: ['choice', target.toLowerCase(), id, input.name.toLowerCase(), field.value],
            message: `${send.repo} sends '${field.value}' for choice input '${input.name}' of ${where}, which accepts only ${quoteList(input.options)}`,
            related: [relate(workflow, input.position, `options: ${input.options.join(', ')}`)],
          });
        }
      }
      for (const name of send.addedInputs ?? []) {
        if (!inputNamed(name)) {
          report({ location: locate(send, send.position), identity: ['added', target.toLowerCase(), id, name], message: `${send.form} adds input '${name}', which ${where} does not declare, so GitHub answers 422 "Unexpected inputs provided"` });
        }
      }
      // Inputs chosen at run time (a chat-ops comment's named arguments) may supply the required ones.
      const mayAddInputs = send.payload.kind === 'object' && send.payload.runTimeKeys !== undefined;
      for (const input of mayAddInputs ? [] : trigger.inputs) {
        if (!input.required || input.hasDefault || sent.has(input.name.toLowerCase())) continue;
        report({
          location: locate(send, send.workflow.position),
          identity: ['required', target.toLowerCase(), id, input.name.toLowerCase()],
          message: `${send.repo} does not send required input '${input.name}' of ${where}, which has no default`,
          related: [relate(workflow, input.position, `required input ${input.name}`)],
        });
      }
    }
  },
};
