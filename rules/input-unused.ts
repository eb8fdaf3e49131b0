import { locate, type Rule } from '../src/rule.js';

/**
 * A workflow_dispatch input nobody reads is a form field that does nothing: whoever runs the workflow by hand
 * types a value that is ignored (getlago's `ref`, "from lago-api", while the job uses github.ref). A note: it
 * breaks nothing, but it misleads.
 */
export const inputUnused: Rule = {
  id: 'input-unused',
  defaultSeverity: 'note',
  description: 'a declared workflow_dispatch input that the workflow never reads and no scanned sender sends',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      const inputs = workflow.workflowDispatch?.inputs ?? [];
      // A registration stub declares the inputs of the copy on another branch, which is the one that reads them.
      if (inputs.length === 0 || workflow.alwaysFails) continue;
      const reads = workflow.inputReads ?? [];
      // A use that may read any input (toJSON(inputs), the event file) uses them all.
      if (reads.some((read) => read.name === undefined)) continue;
      const read = new Set(reads.map((entry) => entry.name?.toLowerCase()));
      const sent = new Set(
        // A payload with keys known only at run time (slash-command-dispatch's named arguments) may send any input.
        index.workflowDispatchesOf(workflow).flatMap((send) => (send.payload.kind === 'object' ? [...send.payload.fields.map((field) => field.path[0]?.toLowerCase()), ...(send.payload.runTimeKeys ? ['*'] : [])] : send.payload.kind === 'unknown' ? ['*'] : [])),
      );
      if (sent.has('*')) continue;
      for (const input of inputs) {
        const name = input.name.toLowerCase();
        if (read.has(name) || sent.has(name)) continue;
        report({
          location: locate(workflow, input.position),
          identity: [name],
          message: `${workflow.path} declares workflow_dispatch input '${input.name}', but never reads it (as inputs.${input.name} or github.event.inputs.${input.name}) and no scanned workflow sends it, so a value typed for it is ignored (read it, or remove it)`,
        });
      }
    }
  },
};
