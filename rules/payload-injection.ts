import { locate, type Rule } from '../src/rule.js';

/**
 * `${{ }}` is pasted into the script before it runs: a payload or input value with quotes or `$(...)` in it
 * becomes code. Passing it through `env:` keeps it data.
 */
export const payloadInjection: Rule = {
  id: 'payload-injection',
  defaultSeverity: 'warning',
  // A script injection runs an outsider's text as code with the job's token and secrets (CodeQL's
  // actions/code-injection and zizmor's template-injection rate it high as well).
  security: { severity: 7.5, precision: 'high', cwe: ['external/cwe/cwe-094'] },
  description: '${{ github.event.client_payload.* }} or ${{ github.event.inputs.* }} expanded straight into a run: or github-script script',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      for (const injection of workflow.injections ?? []) {
        const message =
          injection.script === 'run'
            ? `\${{ ${injection.expression} }} is pasted into the run: script before it runs, so a value holding quotes or $(...) runs as shell code; set it in env: and use "$NAME" in the script`
            : `\${{ ${injection.expression} }} is pasted into the github-script script before it runs, so a value holding a quote runs as JavaScript; set it in env: and read process.env.NAME in the script`;
        report({ location: locate(workflow, injection.position), identity: [injection.script, injection.expression], message });
      }
    }
  },
};
