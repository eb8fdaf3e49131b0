/** Who controls a value a sender sends (src/extract/value-origin.ts, step-outputs.ts): the base of payload-injection. */
import { describe, expect, it } from 'vitest';
import { extractWorkflow } from '../../src/extract/workflow.js';
import { originOfText, type OriginContext } from '../../src/extract/value-origin.js';
import type { ValueRef } from '../../src/extract/senders/spec.js';

const ref = (text: string): ValueRef => ({ text, position: { line: 1, column: 1, endLine: 1, endColumn: 1 }, exact: true, shell: false, locate: () => ({ line: 1, column: 1, endLine: 1, endColumn: 1 }) });
const context = (env: Record<string, string> = {}, inputTypes: Record<string, string> = {}): OriginContext => ({
  rawEnv: new Map(Object.entries(env).map(([name, text]) => [name, ref(text)])),
  inputTypes: new Map(Object.entries(inputTypes)),
});

describe('originOfText', () => {
  it('knows the text an outsider can write, also inside a larger value or object', () => {
    expect(originOfText('${{ github.event.pull_request.title }}', false, context())).toEqual({ trust: 'outsider', source: 'github.event.pull_request.title' });
    expect(originOfText('fix: ${{ github.event.commits[0].message }}', false, context()).trust).toBe('outsider');
    expect(originOfText('${{ toJSON(github.event.head_commit) }}', false, context())).toMatchObject({ trust: 'outsider', source: 'github.event.head_commit (which holds github.event.head_commit.message)' });
    expect(originOfText('${{ github.head_ref }}', false, context()).trust).toBe('outsider');
  });

  it('marks forwarded values with what they forward, and typed inputs as trusted', () => {
    expect(originOfText('${{ github.event.client_payload.tag }}', false, context())).toEqual({ trust: 'forwarded', source: 'github.event.client_payload.tag', forwards: { kind: 'client_payload', path: ['tag'] } });
    expect(originOfText('${{ inputs.version }}', false, context())).toMatchObject({ trust: 'forwarded', forwards: { kind: 'inputs', path: ['version'] } });
    expect(originOfText('${{ inputs.dry_run }}', false, context({}, { dry_run: 'boolean' })).trust).toBe('trusted');
  });

  it('follows env and shell variables, and knows the runner\'s own variables', () => {
    expect(originOfText('${{ env.TITLE }}', false, context({ TITLE: '${{ github.event.issue.title }}' }))).toEqual({ trust: 'outsider', source: 'github.event.issue.title, through env.TITLE' });
    expect(originOfText('"$BODY"', true, context({ BODY: '${{ github.event.comment.body }}' })).trust).toBe('outsider');
    expect(originOfText('$GITHUB_SHA-$GITHUB_REF_NAME', true, context())).toMatchObject({ trust: 'trusted' });
    expect(originOfText('$GITHUB_HEAD_REF', true, context()).trust).toBe('outsider');
    expect(originOfText('$UNSET', true, context()).trust).toBe('unknown');
    expect(originOfText('v1 ${{ github.sha }} ${{ secrets.X }} ${{ matrix.r }}', false, context()).trust).toBe('trusted');
  });
});

describe('payload field origins through step outputs', () => {
  const sender = (script: string) =>
    extractWorkflow({
      repo: 'acme/lib',
      path: '.github/workflows/notify.yml',
      text: `on: push
jobs:
  notify:
    runs-on: ubuntu-latest
    steps:
      - id: commit
        run: |
${script.split('\n').map((line) => `          ${line}`).join('\n')}
      - uses: peter-evans/repository-dispatch@v3
        with:
          token: \${{ secrets.T }}
          repository: acme/app
          event-type: updated
          client-payload: '{"message": "\${{ steps.commit.outputs.message }}", "sha": "\${{ steps.commit.outputs.sha }}"}'
`,
    }).sends[0]?.payload;
  const origins = (payload: ReturnType<typeof sender>): (string | undefined)[][] => (payload?.kind === 'object' ? payload.fields.map((field) => [field.path[0], field.origin?.trust, field.origin?.source]) : [[payload?.kind]]);

  it('a commit message read by git log is outsider text; a SHA from git rev-parse is not', () => {
    expect(origins(sender('MSG=$(git log -1 --pretty=%s)\necho "message=$MSG" >> "$GITHUB_OUTPUT"\necho "sha=$(git rev-parse HEAD)" >> "$GITHUB_OUTPUT"'))).toEqual([
      ['message', 'outsider', "a commit's message or author (`git log -1 --pretty=%s`), through $MSG, through steps.commit.outputs.message"],
      ['sha', 'trusted', 'steps.commit.outputs.sha'],
    ]);
  });

  it('an output written from an expression has that expression\'s origin; a heredoc block too', () => {
    expect(origins(sender('echo "message=${{ github.event.head_commit.message }}" >> $GITHUB_OUTPUT\necho "sha=${{ github.sha }}" >> $GITHUB_OUTPUT'))?.[0]).toEqual(['message', 'outsider', 'github.event.head_commit.message, through steps.commit.outputs.message']);
    expect(origins(sender('{\n  echo "message<<EOF"\n  jq -r .head_commit.message "$GITHUB_EVENT_PATH"\n  echo "EOF"\n} >> "$GITHUB_OUTPUT"'))?.[0]?.[1]).toBe('outsider');
  });
});
