/**
 * Shell loops, lists and assignments in `run:` scripts, end to end through extraction: one concrete Send per
 * value, all at the send's position, resolved in the step's scope (env:, matrix), capped, never guessed.
 */
import { describe, expect, it } from 'vitest';
import { extractWorkflow } from '../../src/extract/workflow.js';
import type { Send } from '../../src/model.js';

function sendsOf(run: string, env: Record<string, string> = {}): Send[] {
  const envLines = Object.entries(env).flatMap(([name, value]) =>
    value.includes('\n') ? [`          ${name}: |`, ...value.trimEnd().split('\n').map((line) => `            ${line}`)] : [`          ${name}: ${JSON.stringify(value)}`],
  );
  const text = [
    'on: push',
    'jobs:',
    '  notify:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - env:',
    '          GH_TOKEN: ${{ secrets.DISPATCH_TOKEN }}',
    ...envLines,
    '        run: |',
    ...run.split('\n').map((line) => `          ${line}`),
    '',
  ].join('\n');
  return extractWorkflow({ repo: 'acme/api', path: '.github/workflows/notify.yml', text }).sends;
}

const shown = (sends: Send[]) => sends.map((send) => [send.target.value, send.eventType?.value ?? send.workflow?.value]);
const positions = (sends: Send[]) => [...new Set(sends.map((send) => `${send.position.line}:${send.position.column}`))];

describe('one send per value, at the send', () => {
  it('sends to each repository of a for list', () => {
    const sends = sendsOf('for repo in web cli docs; do\n  gh workflow run sync.yml --repo "acme/$repo" || echo "failed: $repo"\ndone');
    expect(shown(sends)).toEqual([
      ['acme/web', 'sync.yml'],
      ['acme/cli', 'sync.yml'],
      ['acme/docs', 'sync.yml'],
    ]);
    expect(positions(sends)).toEqual(['10:13']);
    expect(sends[0]?.position).toEqual({ line: 10, column: 13, endLine: 10, endColumn: 57 });
    expect(sends.map((send) => send.target.text)).toEqual(['acme/$repo', 'acme/$repo', 'acme/$repo']);
  });

  it('splits a multi-line env: value in a for list and in read lines, not in double quotes', () => {
    const env = { OWNER: 'acme', REPOS: 'web\ncli\n' };
    expect(shown(sendsOf('for r in $REPOS; do gh api repos/$OWNER/$r/dispatches -f event_type=built; done', env))).toEqual([
      ['acme/web', 'built'],
      ['acme/cli', 'built'],
    ]);
    expect(shown(sendsOf('while read -r r; do\n  gh api "repos/$OWNER/$r/dispatches" -f event_type=built\ndone <<< "$REPOS"', env))).toEqual([
      ['acme/web', 'built'],
      ['acme/cli', 'built'],
    ]);
    // One iteration with the whole text: a target no repository has, exactly as bash would send it.
    expect(shown(sendsOf('for r in "$REPOS"; do gh api repos/$OWNER/$r/dispatches -f event_type=built; done', env))).toEqual([['acme/web\ncli', 'built']]);
  });

  it('splits a space-separated env value and an expression substituted before bash runs', () => {
    const env = { REPOS: 'web cli' };
    expect(shown(sendsOf('for r in ${REPOS}; do gh api repos/acme/$r/dispatches -f event_type=x; done', env))).toEqual([
      ['acme/web', 'x'],
      ['acme/cli', 'x'],
    ]);
    expect(shown(sendsOf('for r in ${{ env.REPOS }}; do gh api repos/acme/$r/dispatches -f event_type=x; done', env))).toEqual([
      ['acme/web', 'x'],
      ['acme/cli', 'x'],
    ]);
  });

  it('keeps the values of one iteration together, and crosses nested loops', () => {
    const sends = sendsOf('for o in acme beta; do\n  for r in web cli; do\n    gh api repos/$o/$r/dispatches -f event_type=$r-updated\n  done\ndone');
    expect(shown(sends)).toEqual([
      ['acme/web', 'web-updated'],
      ['acme/cli', 'cli-updated'],
      ['beta/web', 'web-updated'],
      ['beta/cli', 'cli-updated'],
    ]);
  });

  it('resolves each iteration payload with its own value', () => {
    const [first, second] = sendsOf("for r in web cli; do gh api repos/acme/$r/dispatches -f event_type=x -f 'client_payload[component]=$r'; done");
    const component = (send: Send | undefined) => (send?.payload.kind === 'object' ? send.payload.fields[0]?.value : undefined);
    expect([component(first), component(second)]).toEqual(['web', 'cli']);
  });

  it('reads arrays and plain assignments', () => {
    expect(shown(sendsOf('repos=(web cli)\nfor r in "${repos[@]}"; do gh workflow run ci.yml -R "acme/$r"; done'))).toEqual([
      ['acme/web', 'ci.yml'],
      ['acme/cli', 'ci.yml'],
    ]);
    expect(shown(sendsOf('REPO=acme/web; EVENT="deploy-${{ github.ref_name }}"\ngh api repos/$REPO/dispatches -f event_type="$EVENT"'))).toEqual([['acme/web', undefined]]);
    expect(shown(sendsOf('REPO=acme/web\nEVENT=deploy\ngh api repos/$REPO/dispatches -f event_type="$EVENT"'))).toEqual([['acme/web', 'deploy']]);
  });

  it('shadows an env: value the script reassigns, instead of resolving the stale one', () => {
    expect(shown(sendsOf('REPO=$(cat target)\ngh api repos/$REPO/dispatches -f event_type=x', { REPO: 'acme/old' }))).toEqual([[undefined, 'x']]);
  });

  it('sends only the values a case arm or a test lets through', () => {
    const run = [
      'for r in web cli docs; do',
      '  case "$r" in',
      '    web) gh api repos/acme/$r/dispatches -f event_type=web-built ;;',
      '    *) [ "$r" = docs ] || gh api repos/acme/$r/dispatches -f event_type=other-built ;;',
      '  esac',
      '  if [ "$r" != "cli" ]; then gh workflow run ci.yml -R "acme/$r"; fi',
      'done',
    ].join('\n');
    expect(shown(sendsOf(run))).toEqual([
      ['acme/web', 'web-built'],
      // `[ ] ||` is not a branch: the second send is not narrowed by it (any of cli, docs may reach it).
      ['acme/cli', 'other-built'],
      ['acme/docs', 'other-built'],
      ['acme/web', 'ci.yml'],
      ['acme/docs', 'ci.yml'],
    ]);
  });

  it('keeps one send per distinct value', () => {
    expect(shown(sendsOf('for r in web web; do gh api repos/acme/$r/dispatches -f event_type=x; done'))).toEqual([['acme/web', 'x']]);
  });

  it('keeps one unresolved send beyond the per-step cap', () => {
    const many = Array.from({ length: 9 }, (_, i) => `r${i}`).join(' ');
    const sends = sendsOf(`for o in a b c d e f g h; do for r in ${many}; do gh api repos/$o/$r/dispatches -f event_type=x; done; done`);
    expect(shown(sends)).toEqual([[undefined, 'x']]);
    expect(sends[0]?.target.text).toBe('$o/$r');
  });

  it('never guesses values only known at run time', () => {
    expect(shown(sendsOf('for r in $(jq -r ".[]" repos.json); do gh api repos/acme/$r/dispatches -f event_type=x; done'))).toEqual([[undefined, 'x']]);
    expect(shown(sendsOf('for r in web; do r=other; gh api repos/acme/$r/dispatches -f event_type=x; done'))).toEqual([[undefined, 'x']]);
    expect(shown(sendsOf('notify() {\n  gh api repos/acme/$1/dispatches -f event_type=x\n}\nnotify web'))).toEqual([[undefined, 'x']]);
  });

  it('resolves a loop over a matrix value in each combination, and records the step outputs it reads', () => {
    const text = `on: push
jobs:
  notify:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        group: ["web cli", "docs"]
    steps:
      - run: |
          for r in \${{ matrix.group }}; do gh api repos/acme/$r/dispatches -f event_type=x; done
          for r in \${{ steps.list.outputs.repos }}; do gh api repos/acme/$r/dispatches -f event_type=y; done
`;
    const sends = extractWorkflow({ repo: 'acme/api', path: '.github/workflows/w.yml', text }).sends;
    expect(shown(sends)).toEqual([
      ['acme/web', 'x'],
      ['acme/cli', 'x'],
      ['acme/docs', 'x'],
      [undefined, 'y'],
    ]);
    expect(sends.at(-1)?.stepOutputRefs.map((ref) => [ref.stepId, ref.output, ref.definedBefore])).toEqual([['list', 'repos', false]]);
  });
});

describe('an event type it cannot read is unresolved, never empty', () => {
  it.each([
    ['curl --data @file', 'curl -X POST -H "Authorization: token $GH_TOKEN" https://api.github.com/repos/acme/web/dispatches --data @event.json', '--data @event.json'],
    ['curl -d "$BODY"', 'curl -X POST -H "Authorization: token $GH_TOKEN" https://api.github.com/repos/acme/web/dispatches -d "$BODY"', '$BODY'],
    ['gh api --input file', 'gh api repos/acme/web/dispatches --input event.json', '--input event.json'],
  ])('%s', (_name, run, text) => {
    const [send] = sendsOf(run);
    expect(send?.eventType?.value).toBeUndefined();
    expect(send?.eventType?.text).toBe(text);
    expect(send?.payload.kind).toBe('unknown');
  });

  it('still reads a body without event_type as sending none', () => {
    const [send] = sendsOf(`curl -H "Authorization: token $GH_TOKEN" -d '{"client_payload": {}}' https://api.github.com/repos/acme/web/dispatches`);
    expect(send?.eventType).toMatchObject({ text: '', value: '' });
  });
});
