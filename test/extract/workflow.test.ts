/** Extraction of one workflow file: senders with their defaults, resolution, payloads and reads, with positions. */
import { describe, expect, it } from 'vitest';
import { extractWorkflow } from '../../src/extract/workflow.js';

const extract = (text: string, repo = 'acme/api') => extractWorkflow({ repo, path: '.github/workflows/w.yml', text });

describe('peter-evans/repository-dispatch', () => {
  it('resolves a matrix target into one send per combination, with env and owner', () => {
    const facts = extract(`on: push
env:
  EVENT: core_release
jobs:
  notify:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        downstream: [pipeline, store]
        include:
          - downstream: ibkr
    steps:
      - uses: peter-evans/repository-dispatch@v3
        with:
          token: \${{ secrets.REPO_DISPATCH_TOKEN }}
          repository: \${{ github.repository_owner }}/\${{ matrix.downstream }}
          event-type: \${{ env.EVENT }}
          client-payload: '{"version": "\${{ github.ref_name }}", "origin": "core"}'
`);
    expect(facts.sends.map((send) => [send.target.value, send.eventType?.value, send.matrix])).toEqual([
      ['acme/pipeline', 'core_release', { downstream: 'pipeline' }],
      ['acme/store', 'core_release', { downstream: 'store' }],
      ['acme/ibkr', 'core_release', { downstream: 'ibkr' }],
    ]);
    const [send] = facts.sends;
    expect(send?.token).toEqual({ kind: 'secret', name: 'REPO_DISPATCH_TOKEN', position: { line: 15, column: 18, endLine: 15, endColumn: 52 } });
    expect(send?.payload.kind === 'object' && send.payload.fields.map((field) => [field.path, field.valueType, field.position.line, field.position.column])).toEqual([
      [['version'], 'string', 18, 29],
      [['origin'], 'string', 18, 66],
    ]);
  });

  it('defaults: repository to the current one, token to github.token from v2.1, required before', () => {
    const step = (version: string) => `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: peter-evans/repository-dispatch@${version}
        with:
          event-type: go
`;
    const current = extract(step('v4')).sends[0];
    expect(current?.target.value).toBe('acme/api');
    expect(current?.payload).toEqual({ kind: 'none' });
    expect(current?.token).toMatchObject({ kind: 'github-token', explicit: false });
    expect(extract(step('v1')).sends[0]?.token.kind).toBe('missing');
    expect(extract(step('v2.0.1')).sends[0]?.token.kind).toBe('missing');
    expect(extract(step('28959ce8df70de7be546dd1250a005dd32156697')).sends[0]?.token.kind).toBe('github-token');
  });

  it('reads a format() payload and a forwarded payload', () => {
    const facts = extract(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: peter-evans/repository-dispatch@v4
        with:
          token: \${{ secrets.T }}
          repository: acme/docs
          event-type: docs
          client-payload: \${{ format('{{"tag":{0}}}', toJSON(github.ref_name)) }}
      - uses: peter-evans/repository-dispatch@v4
        with:
          token: \${{ secrets.T }}
          repository: acme/docs
          event-type: docs
          client-payload: \${{ toJSON(github.event.client_payload) }}
`);
    expect(facts.sends[0]?.payload).toMatchObject({ kind: 'object', fields: [{ path: ['tag'], valueType: 'unknown' }] });
    expect(facts.sends[1]?.payload).toMatchObject({ kind: 'unknown', reason: 'it forwards the client_payload this workflow received' });
  });
});

describe('script senders', () => {
  it('gh workflow run with a shell owner and a token through env', () => {
    const facts = extract(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - env:
          GH_TOKEN: \${{ steps.app.outputs.token }}
        run: |
          gh workflow run deploy.yml --repo "$GITHUB_REPOSITORY_OWNER/infra" --ref main -f version=1.2
`);
    const [send] = facts.sends;
    expect(send).toMatchObject({ kind: 'workflow_dispatch', form: 'gh workflow run', target: { value: 'acme/infra' }, workflow: { value: 'deploy.yml' } });
    expect(send?.token).toMatchObject({ kind: 'step-output', stepId: 'app', output: 'token' });
    expect(send?.stepOutputRefs).toMatchObject([{ stepId: 'app', definedBefore: false, definedAfter: false }]);
    expect(send?.workflow?.position).toMatchObject({ line: 9, column: 27 });
  });

  it('github-script createDispatchEvent with context.repo.owner', () => {
    const facts = extract(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/github-script@v7
        with:
          github-token: \${{ secrets.PAT }}
          script: |
            await github.rest.repos.createDispatchEvent({
              owner: context.repo.owner,
              repo: 'deploy',
              event_type: 'ship',
              client_payload: { sha: context.sha, force: false },
            });
`);
    expect(facts.sends[0]).toMatchObject({ form: 'actions/github-script@v7', target: { value: 'acme/deploy' }, eventType: { value: 'ship' }, token: { kind: 'secret', name: 'PAT' } });
    expect(facts.sends[0]?.payload).toMatchObject({ kind: 'object', fields: [{ path: ['sha'] }, { path: ['force'], valueType: 'boolean' }] });
  });
});

describe('listeners and reads', () => {
  it('reads types in every shape and limits reads to the event an if: names', () => {
    const facts = extract(`on:
  repository_dispatch:
    types: [build, release]
jobs:
  build:
    if: github.event.action == 'build'
    runs-on: ubuntu-latest
    steps:
      - run: echo "\${{ github.event.client_payload.sha }}"
  release:
    runs-on: ubuntu-latest
    steps:
      - if: github.event.client_payload.tag != ''
        run: echo "\${{ github.event.client_payload.tag }} \${{ github.event.client_payload['version'] || 'dev' }}"
`);
    expect(facts.repositoryDispatch?.types?.map((type) => type.value)).toEqual(['build', 'release']);
    expect(facts.payloadReads.map((read) => [read.path.join('.'), read.optional, read.eventTypes, read.position.line, read.position.column])).toEqual([
      ['sha', false, ['build'], 9, 20],
      ['tag', true, undefined, 13, 13],
      ['tag', true, undefined, 14, 20],
      ['version', true, undefined, 14, 59],
    ]);
  });

  it('knows when reads cannot be known: the payload passed whole', () => {
    const facts = extract(`on: repository_dispatch
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: echo '\${{ toJSON(github.event.client_payload) }}' | jq .
`);
    expect(facts.repositoryDispatch).toEqual({ position: { line: 1, column: 5, endLine: 1, endColumn: 24 } });
    expect(facts.payloadReadsUnknown).toMatchObject({ line: 6, column: 20 });
  });

  it('accepts YAML 1.1 `true` for on, and lists triggers of every shape', () => {
    expect(extract('"on": [push, workflow_dispatch]\njobs: {}\n').triggers).toEqual(['push', 'workflow_dispatch']);
    expect(extract('true: push\njobs: {}\n').triggers).toEqual(['push']);
    expect(extract('on:\n  workflow_dispatch:\n    inputs:\n      env:\n        type: choice\n        options: [a, b]\n        required: true\njobs: {}\n').workflowDispatch?.inputs).toEqual([
      { name: 'env', type: 'choice', required: true, hasDefault: false, options: ['a', 'b'], position: { line: 4, column: 7, endLine: 4, endColumn: 10 } },
    ]);
  });
});

describe('facts for the issue-3 rules', () => {
  it('records permissions, conditions and the events a step can run on', () => {
    const facts = extract(`on: [push, pull_request, schedule]
permissions:
  contents: read
jobs:
  a:
    if: github.event_name == 'schedule' || github.event_name == 'push'
    runs-on: ubuntu-latest
    steps:
      - if: startsWith(github.ref, 'refs/tags/') && github.event_name != 'push'
        uses: peter-evans/repository-dispatch@v3
        with:
          event-type: go
`);
    const [send] = facts.sends;
    expect(send?.permissions).toEqual({ level: 'workflow', scopes: { contents: 'read' }, position: { line: 2, column: 1, endLine: 2, endColumn: 12 } });
    expect(send?.conditions).toEqual(["github.event_name == 'schedule' || github.event_name == 'push'", "startsWith(github.ref, 'refs/tags/') && github.event_name != 'push'"]);
    expect(send?.events).toEqual({
      only: ['schedule', 'push'],
      not: ['merge_group', 'pull_request', 'pull_request_target', 'push'],
      refKinds: ['tag'],
      refCondition: "startsWith(github.ref, 'refs/tags/') && github.event_name != 'push'",
    });
  });

  it('types strings that spell booleans or numbers, including typed inputs', () => {
    const facts = extract(`on:
  workflow_dispatch:
    inputs:
      publish:
        type: boolean
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: peter-evans/repository-dispatch@v3
        with:
          token: \${{ secrets.T }}
          repository: acme/deploy
          event-type: go
          client-payload: '{"a": "false", "b": "\${{ inputs.publish }}", "c": \${{ inputs.publish }}, "d": "v1", "e": 3}'
`);
    const payload = facts.sends[0]?.payload;
    expect(payload?.kind === 'object' && payload.fields.map((field) => [field.path[0], field.valueType, field.looksLike])).toEqual([
      ['a', 'string', 'boolean'],
      ['b', 'string', 'boolean'],
      ['c', 'boolean', undefined],
      ['d', 'string', undefined],
      ['e', 'number', undefined],
    ]);
  });

  it('finds untrusted values pasted into scripts, but not constrained inputs or env', () => {
    const facts = extract(`on:
  workflow_dispatch:
    inputs:
      target:
        type: choice
        options: [a, b]
      note: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - run: deploy \${{ github.event.inputs.target }} "\${{ github.event.inputs.note }}"
      - env:
          NOTE: \${{ github.event.inputs.note }}
        run: echo "$NOTE"
`);
    expect(facts.injections).toEqual([{ expression: 'github.event.inputs.note', script: 'run', position: { line: 12, column: 56, endLine: 12, endColumn: 87 }, reads: [{ kind: 'inputs', path: ['note'] }] }]);
  });
});

describe('YAML anchors, aliases and merge keys', () => {
  it('reads an alias as the node it names, with positions at the alias', () => {
    const facts = extract(`on:
  repository_dispatch:
    types: &deploy-types [deploy, redeploy]
jobs:
  a:
    runs-on: ubuntu-latest
    env: &shared
      VERSION: \${{ github.event.client_payload.version }}
    steps:
      - run: echo
  b:
    runs-on: ubuntu-latest
    env: *shared
    steps:
      - run: echo
`);
    expect(facts.listenerProblems).toEqual([]);
    expect(facts.repositoryDispatch?.types?.map((type) => type.value)).toEqual(['deploy', 'redeploy']);
    expect(facts.payloadReads.map((read) => [read.path, read.position.line, read.position.column])).toEqual([
      [['version'], 8, 16],
      [['version'], 13, 10],
    ]);
  });

  it('reports a merge key, which GitHub rejects, and reads the mapping as meant', () => {
    const facts = extract(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: peter-evans/repository-dispatch@v3
        with: &dispatch
          token: \${{ secrets.T }}
          repository: acme/deploy
          event-type: deploy
      - uses: peter-evans/repository-dispatch@v3
        with:
          <<: *dispatch
          event-type: redeploy
`);
    expect(facts.syntaxErrors.map((error) => [error.position.line, error.position.column, error.message.slice(0, 48)])).toEqual([[13, 11, 'GitHub Actions does not support YAML merge keys ']]);
    expect(facts.sends.map((send) => [send.target.value, send.eventType?.value, send.token.kind])).toEqual([
      ['acme/deploy', 'deploy', 'secret'],
      ['acme/deploy', 'redeploy', 'secret'],
    ]);
  });

  it('stops at an alias bomb instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    const facts = extractWorkflow({ repo: 'acme/api', path: '.github/workflows/w.yml', text: `on: push\n${levels.join('\n')}\njobs: {}\n` }, { fullParse: true });
    expect(facts.syntaxErrors.map((error) => error.message)).toEqual(['its aliases expand to more than 10000 nodes, beyond what dispatch-lint reads']);
  });
});
