/** Sends written in files a workflow loads: local composite actions and reusable workflows, in the caller's context. */
import { describe, expect, it } from 'vitest';
import { repositoryFiles } from '../../src/extract/repository-files.js';
import { extractWorkflow } from '../../src/extract/workflow.js';

const files = (texts: Record<string, Record<string, string>>) => repositoryFiles({ texts });
const DISPATCH_ACTION = `name: notify
inputs:
  target:
    default: acme/deploy
  event:
    required: true
  token:
    required: true
runs:
  using: composite
  steps:
    - uses: peter-evans/repository-dispatch@v3
      with:
        token: \${{ inputs.token }}
        repository: \${{ inputs.target }}
        event-type: \${{ inputs.event }}
`;

describe('local composite actions', () => {
  it('sends what the action sends, with inputs from the caller (one send per matrix combination) and the caller\'s token', () => {
    const facts = extractWorkflow(
      {
        repo: 'acme/api',
        path: '.github/workflows/release.yml',
        text: `on: push
jobs:
  notify:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        target: [deploy, docs]
    steps:
      - uses: ./.github/actions/notify
        with:
          target: acme/\${{ matrix.target }}
          event: released
          token: \${{ secrets.DISPATCH_TOKEN }}
`,
      },
      { files: files({ 'acme/api': { '.github/actions/notify/action.yml': DISPATCH_ACTION } }) },
    );
    expect(facts.sends.map((send) => [send.path, send.target.value, send.eventType?.value, send.token.kind === 'secret' && send.token.name, send.via?.kind, send.via?.position.line])).toEqual([
      ['.github/actions/notify/action.yml', 'acme/deploy', 'released', 'DISPATCH_TOKEN', 'composite', 9],
      ['.github/actions/notify/action.yml', 'acme/docs', 'released', 'DISPATCH_TOKEN', 'composite', 9],
    ]);
    expect(facts.loadedFiles).toEqual([{ repo: 'acme/api', path: '.github/actions/notify/action.yml' }]);
  });

  it('uses the action\'s defaults, follows actions within actions, and stops at a loop', () => {
    const outer = `runs:\n  using: composite\n  steps:\n    - uses: ./.github/actions/notify\n      with:\n        event: from-outer\n        token: \${{ inputs.token }}\n    - uses: ./.github/actions/outer\n`;
    const facts = extractWorkflow(
      { repo: 'acme/api', path: '.github/workflows/w.yml', text: 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/outer\n        with:\n          token: ${{ secrets.T }}\n' },
      { files: files({ 'acme/api': { '.github/actions/notify/action.yml': DISPATCH_ACTION, '.github/actions/outer/action.yml': `inputs:\n  token: {}\n${outer}` } }) },
    );
    expect(facts.sends.map((send) => [send.target.value, send.eventType?.value, send.token.kind === 'secret' && send.token.name])).toEqual([['acme/deploy', 'from-outer', 'T']]);
  });

  it('leaves a node or docker action, or one that cannot be read, alone', () => {
    const facts = extractWorkflow(
      { repo: 'acme/api', path: '.github/workflows/w.yml', text: 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: ./.github/actions/js\n      - uses: ./.github/actions/missing\n' },
      { files: files({ 'acme/api': { '.github/actions/js/action.yml': "runs:\n  using: node20\n  main: index.js\n" } }) },
    );
    expect(facts.sends).toEqual([]);
  });
});

describe('reusable workflows', () => {
  const CALLED = `on:
  workflow_call:
    inputs:
      event:
        type: string
        default: released
    secrets:
      token:
        required: true
jobs:
  send:
    runs-on: ubuntu-latest
    steps:
      - uses: peter-evans/repository-dispatch@v3
        with:
          token: \${{ secrets.token }}
          repository: \${{ github.repository_owner }}/deploy
          event-type: \${{ inputs.event }}
          client-payload: '{"from": "\${{ github.repository }}"}'
`;
  const caller = (secrets: string) => `on: push\njobs:\n  call:\n    uses: acme/platform/.github/workflows/notify.yml@main\n${secrets}`;

  it('runs the called workflow in the caller\'s context: github.*, inputs with defaults, the secrets passed', () => {
    const facts = extractWorkflow(
      { repo: 'acme/api', path: '.github/workflows/release.yml', text: caller('    secrets:\n      token: ${{ secrets.DISPATCH_TOKEN }}\n') },
      { files: files({ 'acme/platform': { '.github/workflows/notify.yml': CALLED } }) },
    );
    const [send] = facts.sends;
    expect([send?.repo, send?.fileRepo, send?.path, send?.target.value, send?.eventType?.value, send?.token.kind === 'secret' && send.token.name, send?.via?.kind]).toEqual(['acme/api', 'acme/platform', '.github/workflows/notify.yml', 'acme/deploy', 'released', 'DISPATCH_TOKEN', 'reusable']);
    expect(send?.payload.kind === 'object' && send.payload.fields[0]?.value).toBe('acme/api');
    expect(facts.calls).toEqual([{ repo: 'acme/platform', path: '.github/workflows/notify.yml' }]);
  });

  it('with secrets: inherit, the called workflow reads the caller\'s secret of that name; one not passed is empty', () => {
    const inherit = extractWorkflow({ repo: 'acme/api', path: 'w.yml', text: caller('    secrets: inherit\n') }, { files: files({ 'acme/platform': { '.github/workflows/notify.yml': CALLED } }) });
    expect(inherit.sends[0]?.token).toMatchObject({ kind: 'secret', name: 'token' });
    const none = extractWorkflow({ repo: 'acme/api', path: 'w.yml', text: caller('') }, { files: files({ 'acme/platform': { '.github/workflows/notify.yml': CALLED } }) });
    expect(none.sends[0]?.token.kind).toBe('missing');
  });
});
