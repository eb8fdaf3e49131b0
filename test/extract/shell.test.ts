import { describe, it, expect } from 'vitest';
import { parseShellScript } from '../../src/extract/shell.js';
import type { RawPayload, RawSend, Span } from '../../src/extract/raw-send.js';

/** The text a span covers, so that tests read as what the user wrote. */
function at(script: string, span: Span | undefined): string | undefined {
  return span && script.slice(span.start, span.end);
}

function onlySend(script: string): RawSend {
  const facts = parseShellScript(script);
  expect(facts.sends).toHaveLength(1);
  return facts.sends[0]!;
}

function fieldsOf(payload: RawPayload | undefined): { path: string[]; text: string; type: string }[] {
  if (payload?.kind !== 'fields') throw new Error(`expected fields, got ${payload?.kind}`);
  return payload.fields.map((f) => ({ path: f.path, text: f.value.text, type: f.valueType }));
}

describe('gh api: repository_dispatch', () => {
  const script = [
    '# Using GitHub CLI',
    'gh api repos/reasonkit/reasonkit/dispatches \\',
    '  -f event_type=component-released \\',
    "  -f 'client_payload[component]=reasonkit-core' \\",
    "  -f 'client_payload[version]=0.2.0' \\",
    "  -f 'client_payload[auto_publish]=false'",
    'echo done',
  ].join('\n');

  it('finds the send with its target, event type and fields', () => {
    const send = onlySend(script);
    expect(send.kind).toBe('repository_dispatch');
    expect(send.form).toBe('gh api');
    expect(send.repository?.text).toBe('reasonkit/reasonkit');
    expect(send.eventType?.text).toBe('component-released');
    expect(fieldsOf(send.payload)).toEqual([
      { path: ['component'], text: 'reasonkit-core', type: 'string' },
      { path: ['version'], text: '0.2.0', type: 'string' },
      // -f always sends a string, even for "false"
      { path: ['auto_publish'], text: 'false', type: 'string' },
    ]);
    expect(send.authorization).toBeUndefined();
    expect(send.workflow).toBeUndefined();
  });

  it('gives exact spans, through line continuations', () => {
    const send = onlySend(script);
    expect(at(script, send.span)).toBe(script.split('\n').slice(1, 6).join('\n'));
    expect(at(script, send.repository?.span)).toBe('reasonkit/reasonkit');
    expect(at(script, send.eventType?.span)).toBe('component-released');
    const payload = send.payload;
    if (payload?.kind !== 'fields') throw new Error('expected fields');
    expect(at(script, payload.fields[0]!.keySpan)).toBe("'client_payload[component]");
    expect(at(script, payload.fields[0]!.value.span)).toBe("reasonkit-core'");
    expect(at(script, payload.span)).toBe(
      "-f 'client_payload[component]=reasonkit-core' \\\n  -f 'client_payload[version]=0.2.0' \\\n  -f 'client_payload[auto_publish]=false'",
    );
  });

  it('keeps ${{ }} expressions opaque, with spaces, quotes and slashes inside', () => {
    const script = [
      'gh api repos/${{ github.repository }}/dispatches \\',
      '  -f event_type=platform-tests-result \\',
      "  -f 'client_payload[sha]=${{ inputs.sha || github.sha }}' \\",
      "  -f client_payload[title]=${{ format('{0} }} {1}', 'a b', x) }} \\",
      "  -f 'client_payload[url]=${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}'",
    ].join('\n');
    const send = onlySend(script);
    expect(send.repository).toEqual({
      text: '${{ github.repository }}',
      span: { start: 13, end: 37 },
      exact: true,
    });
    expect(at(script, send.repository?.span)).toBe('${{ github.repository }}');
    expect(fieldsOf(send.payload)).toEqual([
      { path: ['sha'], text: '${{ inputs.sha || github.sha }}', type: 'string' },
      { path: ['title'], text: "${{ format('{0} }} {1}', 'a b', x) }}", type: 'string' },
      {
        path: ['url'],
        text: '${{ github.server_url }}/${{ github.repository }}/actions/runs/${{ github.run_id }}',
        type: 'string',
      },
    ]);
  });

  it("reads gh's {owner}/{repo} placeholders as the current repository", () => {
    const script = 'gh api /repos/{owner}/{repo}/dispatches -f event_type=go';
    const send = onlySend(script);
    expect(send.repository?.text).toBe('${{ github.repository }}');
    expect(at(script, send.repository?.span)).toBe('{owner}/{repo}');
  });

  it('accepts a repository that expands to owner/repo in one segment', () => {
    const script = 'gh api "repos/$GITHUB_REPOSITORY/dispatches" --raw-field event_type=go';
    const send = onlySend(script);
    expect(send.repository?.text).toBe('$GITHUB_REPOSITORY');
    expect(send.eventType?.text).toBe('go');
  });

  it('types -F / --field values the way gh does', () => {
    const script = [
      'gh api repos/o/r/dispatches -F event_type=x \\',
      '  -F client_payload[flag]=true -F client_payload[off]=false -F client_payload[none]=null \\',
      '  -F client_payload[n]=42 -F client_payload[file]=@notes.txt -F client_payload[s]=hello \\',
      '  -F "client_payload[v]=$VERSION" --field=client_payload[deep][er]=1',
    ].join('\n');
    expect(fieldsOf(onlySend(script).payload)).toEqual([
      { path: ['flag'], text: 'true', type: 'boolean' },
      { path: ['off'], text: 'false', type: 'boolean' },
      { path: ['none'], text: 'null', type: 'null' },
      { path: ['n'], text: '42', type: 'number' },
      { path: ['file'], text: '@notes.txt', type: 'unknown' },
      { path: ['s'], text: 'hello', type: 'string' },
      // the value is only known once $VERSION is
      { path: ['v'], text: '$VERSION', type: 'unknown' },
      { path: ['deep', 'er'], text: '1', type: 'number' },
    ]);
  });

  it('merges the elements of an array field', () => {
    const script = "gh api repos/o/r/dispatches -f event_type=x -f 'client_payload[tags][]=a' -f 'client_payload[tags][]=b'";
    expect(fieldsOf(onlySend(script).payload)).toEqual([{ path: ['tags'], text: 'a', type: 'array' }]);
  });

  it('reports client_payload given as one field as not an object', () => {
    const script = `gh api repos/o/r/dispatches -f event_type=x -f client_payload='{"a":1}'`;
    const send = onlySend(script);
    expect(send.payload?.kind).toBe('not-object');
    if (send.payload?.kind !== 'not-object') return;
    expect(send.payload.reason).toMatch(/string.*422/);
    expect(at(script, send.payload.span)).toBe(`-f client_payload='{"a":1}'`);
  });

  it('accepts flags before the path and in every spelling gh takes', () => {
    const script = [
      'gh api --method=POST -H "Accept: application/vnd.github+json" \\',
      "  -fevent_type=early --raw-field='client_payload[a]=1' -f=client_payload[b]=2 \\",
      '  repos/o/r/dispatches',
    ].join('\n');
    const send = onlySend(script);
    expect(send.repository?.text).toBe('o/r');
    expect(send.eventType?.text).toBe('early');
    expect(fieldsOf(send.payload).map((f) => f.path)).toEqual([['a'], ['b']]);
  });

  it('takes the credential from an Authorization header', () => {
    const script = `gh api -H 'Authorization: token \${{ secrets.PAT }}' repos/o/r/dispatches -f event_type=x`;
    const send = onlySend(script);
    expect(send.authorization?.text).toBe('${{ secrets.PAT }}');
    expect(at(script, send.authorization?.span)).toBe("${{ secrets.PAT }}'");
  });

  it('takes the credential from a GH_TOKEN prefix on the command', () => {
    const script = 'GH_TOKEN="$PAT" gh api repos/o/r/dispatches -f event_type=x';
    const send = onlySend(script);
    expect(send.authorization?.text).toBe('$PAT');
    expect(at(script, send.span)).toBe(script);
  });
});

describe('gh api: workflow_dispatch', () => {
  it('reads the workflow, ref and inputs', () => {
    const script = [
      'gh api repos/dapr/test-infra/actions/workflows/version-update.yml/dispatches \\',
      "  -X POST -f ref=\"master\" -f 'inputs[rel_version]=${{ env.REL_VERSION }}'",
    ].join('\n');
    const send = onlySend(script);
    expect(send.kind).toBe('workflow_dispatch');
    expect(send.repository?.text).toBe('dapr/test-infra');
    expect(send.workflow?.text).toBe('version-update.yml');
    expect(at(script, send.workflow?.span)).toBe('version-update.yml');
    expect(send.ref?.text).toBe('master');
    expect(at(script, send.ref?.span)).toBe('"master"');
    expect(send.eventType).toBeUndefined();
    expect(fieldsOf(send.payload)).toEqual([{ path: ['rel_version'], text: '${{ env.REL_VERSION }}', type: 'string' }]);
  });

  it('reports inputs given as one field as not an object', () => {
    const send = onlySend(`gh api repos/o/r/actions/workflows/1234/dispatches -f ref=main -f inputs='{"a":"b"}'`);
    expect(send.workflow?.text).toBe('1234');
    expect(send.payload?.kind).toBe('not-object');
  });
});

describe('gh api: request body from --input', () => {
  it('reads a heredoc body', () => {
    const script = [
      'gh api repos/o/r/dispatches --input - <<EOF',
      '{"event_type": "build", "client_payload": {"sha": "$GITHUB_SHA", "price": "\\$5"}}',
      'EOF',
      'echo after',
    ].join('\n');
    const send = onlySend(script);
    // an unquoted heredoc still unescapes \$; $GITHUB_SHA is left for the caller
    expect(send.body?.text).toBe('{"event_type": "build", "client_payload": {"sha": "$GITHUB_SHA", "price": "$5"}}\n');
    expect(send.body?.exact).toBe(true);
    expect(at(script, send.body?.span)).toBe(script.split('\n')[1] + '\n');
    expect(send.payload).toBeUndefined();
    expect(at(script, send.span)).toBe('gh api repos/o/r/dispatches --input - <<EOF');
  });

  it('reads a quoted heredoc literally', () => {
    const script = "gh api repos/o/r/dispatches --input - <<'JSON'\n{\"event_type\": \"a\\$b\"}\nJSON\n";
    expect(onlySend(script).body?.text).toBe('{"event_type": "a\\$b"}\n');
  });

  it('strips leading tabs with <<-', () => {
    const script = 'if true; then\n\tgh api repos/o/r/dispatches --input - <<-EOF\n\t{"event_type": "x"}\n\tEOF\nfi';
    expect(onlySend(script).body?.text).toBe('{"event_type": "x"}\n');
  });

  it('marks a heredoc body running a command as inexact', () => {
    const script = 'gh api repos/o/r/dispatches --input - <<EOF\n{"event_type": "$(cat type.txt)"}\nEOF';
    expect(onlySend(script).body?.exact).toBe(false);
  });

  it('reads a here-string and an echoed body', () => {
    expect(onlySend(`gh api repos/o/r/dispatches --input - <<< '{"event_type":"h"}'`).body?.text).toBe('{"event_type":"h"}');
    expect(onlySend(`echo "$BODY" | gh api repos/o/r/dispatches --input -`).body?.text).toBe('$BODY');
  });

  it('cannot see into an input file or an unknown stdin', () => {
    const fromFile = onlySend('gh api repos/o/r/dispatches --input payload.json');
    expect(fromFile.payload).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('payload.json') });
    const fromJq = onlySend('jq -n \'{event_type:"x"}\' | gh api repos/o/r/dispatches --input -');
    expect(fromJq.payload?.kind).toBe('unknown');
    expect(fromJq.body).toBeUndefined();
  });
});

describe('gh api: not a dispatch', () => {
  it('ignores other endpoints', () => {
    const script = [
      'gh api repos/o/r/pulls -f title=x',
      'gh api "repos/$GITHUB_REPOSITORY/git/refs" -f ref=refs/tags/v1 -f sha=abc',
      'gh api repos/o/r/actions/workflows/ci.yml/runs',
      'gh api graphql -f query=x',
      'gh api repos/o/r/dispatches/extra -f event_type=x',
    ].join('\n');
    expect(parseShellScript(script)).toEqual({ sends: [], payloadReads: [], problems: [] });
  });

  it('notes a GET to a dispatches endpoint instead of reporting a send', () => {
    const script = 'gh api repos/o/r/dispatches\ngh api -X GET repos/o/r/dispatches -f event_type=x';
    const facts = parseShellScript(script);
    expect(facts.sends).toEqual([]);
    expect(facts.problems.map((p) => at(script, p.span))).toEqual([
      'gh api repos/o/r/dispatches',
      'gh api -X GET repos/o/r/dispatches -f event_type=x',
    ]);
  });
});

describe('gh workflow run', () => {
  it('reads --repo, --ref and --field', () => {
    const script = [
      'gh workflow run deploy-packages.yml \\',
      '  --repo "$GITHUB_REPOSITORY_OWNER/trivy-repo" \\',
      '  --ref main \\',
      '  --field "version=$GITHUB_REF_NAME" \\',
      '  --field artifact=trivy',
    ].join('\n');
    const send = onlySend(script);
    expect(send.kind).toBe('workflow_dispatch');
    expect(send.form).toBe('gh workflow run');
    expect(send.workflow?.text).toBe('deploy-packages.yml');
    expect(send.repository?.text).toBe('$GITHUB_REPOSITORY_OWNER/trivy-repo');
    expect(at(script, send.repository?.span)).toBe('"$GITHUB_REPOSITORY_OWNER/trivy-repo"');
    expect(send.ref?.text).toBe('main');
    expect(fieldsOf(send.payload)).toEqual([
      { path: ['version'], text: '$GITHUB_REF_NAME', type: 'string' },
      { path: ['artifact'], text: 'trivy', type: 'string' },
    ]);
    expect(at(script, send.span)).toBe(script);
  });

  it('reads short flags, a workflow name with spaces, and -F values as strings', () => {
    const script = `gh workflow run "Update Engines Version" -R prisma/prisma -r main -f a=1 -F b=true -F c=@in.txt`;
    const send = onlySend(script);
    expect(send.workflow?.text).toBe('Update Engines Version');
    expect(at(script, send.workflow?.span)).toBe('"Update Engines Version"');
    expect(send.repository?.text).toBe('prisma/prisma');
    expect(send.ref?.text).toBe('main');
    expect(fieldsOf(send.payload)).toEqual([
      { path: ['a'], text: '1', type: 'string' },
      { path: ['b'], text: 'true', type: 'string' },
      { path: ['c'], text: '@in.txt', type: 'string' },
    ]);
    if (send.payload?.kind === 'fields') expect(send.payload.fields[2]!.value.exact).toBe(false);
  });

  it('leaves the repository undefined without --repo, and reads a GH_REPO prefix', () => {
    expect(onlySend('gh workflow run ci.yml').repository).toBeUndefined();
    expect(onlySend('GH_REPO=o/other gh workflow run ci.yml').repository?.text).toBe('o/other');
  });

  it('marks a ref computed by $(...) as inexact and still reads the commands inside', () => {
    const script = "gh workflow run dapr.yml --repo dapr/dapr --ref v$(echo '${{ inputs.rel_version }}' | sed -r 's/^[vV]?([0-9].+)$/\\1/')";
    const send = onlySend(script);
    expect(send.ref?.exact).toBe(false);
    expect(send.ref?.text).toBe("v$(echo '${{ inputs.rel_version }}' | sed -r 's/^[vV]?([0-9].+)$/\\1/')");
    expect(at(script, send.ref?.span)).toBe(send.ref?.text);
    expect(send.repository?.exact).toBe(true);
    expect(at(script, send.span)).toBe(script);
  });

  it('reads --json inputs from a heredoc, and calls them unknown when stdin is not shown', () => {
    const script = 'gh workflow run ci.yml --json <<EOF\n{"name": "x"}\nEOF\n';
    expect(onlySend(script).payload).toMatchObject({ kind: 'json-text', text: { text: '{"name": "x"}\n' } });
    expect(onlySend('gh workflow run ci.yml --json').payload?.kind).toBe('unknown');
  });

  it('notes a workflow run with no workflow', () => {
    const facts = parseShellScript('gh workflow run --ref main');
    expect(facts.sends).toEqual([]);
    expect(facts.problems).toHaveLength(1);
  });

  it('does not count other gh workflow commands', () => {
    expect(parseShellScript('gh workflow view ci.yml\ngh workflow list\ngh run list').sends).toEqual([]);
  });
});

describe('curl', () => {
  const script = [
    'if [ -z "$DISPATCH_PAT" ]; then',
    '  exit 0',
    'fi',
    'curl -sSf --connect-timeout 10 --max-time 30 -X POST \\',
    '  -H "Authorization: Bearer $DISPATCH_PAT" \\',
    '  -H "Accept: application/vnd.github+json" \\',
    '  https://api.github.com/repos/prisma/prisma-cli/dispatches \\',
    '  -d "{\\"event_type\\":\\"family-published\\",\\"client_payload\\":{\\"version\\":\\"$VERSION\\"}}"',
  ].join('\n');

  it('reads the URL, the Authorization header and the JSON body', () => {
    const send = onlySend(script);
    expect(send.kind).toBe('repository_dispatch');
    expect(send.form).toBe('curl');
    expect(send.repository?.text).toBe('prisma/prisma-cli');
    expect(at(script, send.repository?.span)).toBe('prisma/prisma-cli');
    expect(send.authorization?.text).toBe('$DISPATCH_PAT');
    expect(at(script, send.authorization?.span)).toBe('$DISPATCH_PAT"');
    expect(send.body).toEqual({
      text: '{"event_type":"family-published","client_payload":{"version":"$VERSION"}}',
      span: send.body?.span,
      exact: true,
    });
    expect(at(script, send.body?.span)).toBe(script.split('\n')[7]!.slice(5));
    expect(at(script, send.span)).toBe(script.split('\n').slice(3).join('\n'));
  });

  it('reads workflow_dispatch URLs under any API host, without -X POST', () => {
    const script = [
      "curl -H 'Authorization: token ${{ secrets.PAT }}' \\",
      '  "$GITHUB_API_URL/repos/o/r/actions/workflows/build.yml/dispatches" \\',
      `  --data-raw '{"ref":"main","inputs":{"a":"b"}}'`,
      'curl --json \'{"event_type":"x"}\' ${{ github.api_url }}/repos/${{ github.repository }}/dispatches',
    ].join('\n');
    const [first, second] = parseShellScript(script).sends;
    expect(first).toMatchObject({ kind: 'workflow_dispatch', workflow: { text: 'build.yml' }, repository: { text: 'o/r' } });
    expect(first?.authorization?.text).toBe('${{ secrets.PAT }}');
    expect(first?.body?.text).toBe('{"ref":"main","inputs":{"a":"b"}}');
    expect(second).toMatchObject({ kind: 'repository_dispatch', repository: { text: '${{ github.repository }}' } });
    expect(second?.body?.text).toBe('{"event_type":"x"}');
  });

  it('reads attached short options', () => {
    const send = onlySend(`curl -sXPOST -H'Authorization: token abc' -d'{"event_type":"x"}' https://api.github.com/repos/o/r/dispatches`);
    expect(send.authorization?.text).toBe('abc');
    expect(send.body?.text).toBe('{"event_type":"x"}');
  });

  it('reads -d @- from a heredoc and cannot see into -d @file', () => {
    const heredoc = 'curl -X POST "$API/repos/o/r/dispatches" -d @- <<EOF\n{"event_type": "x"}\nEOF';
    expect(onlySend(heredoc).body?.text).toBe('{"event_type": "x"}\n');
    const file = onlySend('curl -d @payload.json https://api.github.com/repos/o/r/dispatches');
    expect(file.body).toBeUndefined();
    expect(file.payload).toMatchObject({ kind: 'unknown', reason: expect.stringContaining('payload.json') });
  });

  it('ignores other URLs and notes a GET to a dispatches endpoint', () => {
    const script = [
      'curl -H "Authorization: Bearer ${GITHUB_TOKEN}" -fsSL "${K3D_URL}/checksums.txt" -o /tmp/k3d',
      'curl -X POST https://hooks.slack.com/x -d \'{"text":"repos/o/r/dispatches"}\'',
      'curl https://api.github.com/repos/o/r/dispatches',
    ].join('\n');
    const facts = parseShellScript(script);
    expect(facts.sends).toEqual([]);
    expect(facts.problems.map((p) => at(script, p.span))).toEqual(['curl https://api.github.com/repos/o/r/dispatches']);
  });
});

describe('command position', () => {
  const dispatch = 'gh api repos/o/r/dispatches -f event_type=x';

  it.each([
    ['after ;', `true; ${dispatch}`],
    ['after &&', `cd x && ${dispatch}`],
    ['after ||', `false || ${dispatch}`],
    ['after a pipe', `echo hi | ${dispatch}`],
    ['after then', `if true; then ${dispatch}; fi`],
    ['on a line after then', `if [ -n "$X" ]; then\n  ${dispatch}\nfi`],
    ['after else', `if false; then :; else ${dispatch}; fi`],
    ['after do', `for i in 1 2; do ${dispatch}; done`],
    ['after ! (redirections are part of the command)', `if ! ${dispatch} >/dev/null 2>&1; then exit 1; fi`, `${dispatch} >/dev/null 2>&1`],
    ['after time', `time ${dispatch}`],
    ['after assignments (part of the command)', `A=1 B="two words" ${dispatch}`, `A=1 B="two words" ${dispatch}`],
    ['after env (part of the command)', `env -u X GH_DEBUG=1 ${dispatch}`, `env -u X GH_DEBUG=1 ${dispatch}`],
    ['after timeout (part of the command)', `timeout 60 ${dispatch}`, `timeout 60 ${dispatch}`],
    ['in a subshell', `( ${dispatch} )`],
    ['in a brace group', `{ ${dispatch}; }`],
    ['in a function', `notify() {\n  ${dispatch}\n}`],
    ['in $(...)', `RUN=$(${dispatch})`],
    ['in $(...) inside double quotes', `echo "result: $(${dispatch})"`],
    ['in backticks', `RUN=\`${dispatch}\``],
    ['after a case pattern', `case "$X" in\n  yes) ${dispatch} ;;\nesac`],
  ] as [string, string, string?][])('finds a dispatch %s', (_name, script, expectedSpan = dispatch) => {
    const send = onlySend(script);
    expect(at(script, send.span)).toBe(expectedSpan);
  });

  it.each([
    ['in an echoed string', 'echo "gh workflow run x"'],
    ['as arguments of echo', 'echo gh workflow run x'],
    ['in a comment', '# gh api repos/o/r/dispatches -f event_type=x'],
    ['in a trailing comment', 'make build # then gh workflow run deploy.yml'],
    ['in single quotes', `bash_snippet='gh api repos/o/r/dispatches -f event_type=x'`],
    ['in a heredoc body', 'cat <<EOF > notes.md\ngh workflow run deploy.yml\nEOF'],
    ['in a quoted heredoc body', "cat <<'EOF'\ngh api repos/o/r/dispatches -f event_type=x\nEOF"],
    ['after command -v', 'command -v gh workflow run x'],
  ])('finds nothing %s', (_name, script) => {
    expect(parseShellScript(script).sends).toEqual([]);
  });

  it('finds every send of a script, in order, with exact spans', () => {
    const script = [
      'set -euo pipefail',
      `RUN=$(gh api repos/a/b/dispatches -f event_type=one)`,
      'echo "gh workflow run not-me.yml"',
      'cat <<EOF',
      'gh workflow run not-me-either.yml',
      'EOF',
      'gh workflow run second.yml --ref "$REF" && curl -d \'{"event_type":"three"}\' \\',
      '  https://api.github.com/repos/c/d/dispatches',
    ].join('\n');
    const sends = parseShellScript(script).sends;
    expect(sends.map((s) => at(script, s.span))).toEqual([
      'gh api repos/a/b/dispatches -f event_type=one',
      'gh workflow run second.yml --ref "$REF"',
      'curl -d \'{"event_type":"three"}\' \\\n  https://api.github.com/repos/c/d/dispatches',
    ]);
    expect(sends.map((s) => s.form)).toEqual(['gh api', 'gh workflow run', 'curl']);
  });
});

describe('quoting', () => {
  it('removes quotes and keeps variables as spelt', () => {
    const script = [
      `gh api repos/o/r/dispatches -f event_type="say \\"hi\\"" \\`,
      `  -f 'client_payload[single]=$NOT_EXPANDED' \\`,
      `  -f "client_payload[double]=\${VERSION}-$SUFFIX" \\`,
      `  -f client_payload[ansi]=$'tab\\there' \\`,
      `  -f client_payload\\[escaped\\]=yes \\`,
      `  -f client_pay"load[mixed]"='v'`,
    ].join('\n');
    const send = onlySend(script);
    expect(send.eventType?.text).toBe('say "hi"');
    expect(fieldsOf(send.payload)).toEqual([
      { path: ['single'], text: '$NOT_EXPANDED', type: 'string' },
      { path: ['double'], text: '${VERSION}-$SUFFIX', type: 'string' },
      { path: ['ansi'], text: 'tab\there', type: 'string' },
      { path: ['escaped'], text: 'yes', type: 'string' },
      { path: ['mixed'], text: 'v', type: 'string' },
    ]);
  });

  it('marks values made by $(...) or backticks as inexact', () => {
    const send = onlySend('gh api repos/o/r/dispatches -f event_type=$(cat type) -f "client_payload[v]=`git describe`" -f client_payload[w]=plain');
    expect(send.eventType?.exact).toBe(false);
    const payload = send.payload;
    if (payload?.kind !== 'fields') throw new Error('expected fields');
    expect(payload.fields.map((f) => f.value.exact)).toEqual([false, true]);
  });
});

describe('reads of the event file', () => {
  it('records a whole read per mention, and jq paths in the same command', () => {
    const script = [
      `VERSION=$(jq -r '.client_payload.version' "$GITHUB_EVENT_PATH")`,
      `cat $GITHUB_EVENT_PATH | jq '.client_payload["build-id"].tag'`,
      `jq .client_payload.other other.json`,
      `# jq .client_payload.commented "$GITHUB_EVENT_PATH"`,
    ].join('\n');
    const reads = parseShellScript(script).payloadReads;
    expect(reads.map((r) => ({ path: r.path, whole: r.whole, text: at(script, r.span) }))).toEqual([
      { path: ['version'], whole: false, text: "'.client_payload.version'" },
      { path: [], whole: true, text: 'GITHUB_EVENT_PATH' },
      { path: [], whole: true, text: 'GITHUB_EVENT_PATH' },
      { path: ['build-id', 'tag'], whole: false, text: `'.client_payload["build-id"].tag'` },
    ]);
  });

  it('records nothing for a script that does not read it', () => {
    expect(parseShellScript('echo "${{ github.event.client_payload.tag }}"').payloadReads).toEqual([]);
  });
});

describe('robustness', () => {
  it.each([
    ['an unterminated single quote', "gh api repos/o/r/dispatches -f 'event_type=x"],
    ['an unterminated double quote', 'echo "oops\ngh api repos/o/r/dispatches -f event_type=x'],
    ['an unterminated $(', 'X=$(gh api repos/o/r/dispatches -f event_type=x'],
    ['an unterminated ${{', 'gh api repos/o/r/dispatches -f event_type=${{ inputs.x'],
    ['an unclosed heredoc', 'cat <<EOF\nbody'],
    ['a heredoc with no body', 'cat <<EOF'],
    ['a redirection without a target', 'echo >'],
  ])('never throws on %s and notes a problem', (_name, script) => {
    const facts = parseShellScript(script);
    expect(facts.problems.length).toBeGreaterThan(0);
    for (const problem of facts.problems) {
      expect(problem.span.start).toBeGreaterThanOrEqual(0);
      expect(problem.span.end).toBeLessThanOrEqual(script.length);
    }
  });

  it('still finds a send before a broken quote', () => {
    const script = 'gh api repos/o/r/dispatches -f event_type=x\necho "never closed';
    expect(parseShellScript(script).sends).toHaveLength(1);
  });

  it('survives empty and odd scripts', () => {
    for (const script of ['', '\n\n', ';;', ')', '`', '$', '\\', '|||', '(((', '<<<', '${{}}', "$'", '\r\n']) {
      expect(() => parseShellScript(script)).not.toThrow();
    }
  });

  it('turns nesting too deep to follow into a problem', () => {
    const script = '$('.repeat(50_000) + ')'.repeat(50_000);
    const facts = parseShellScript(script);
    expect(facts.sends).toEqual([]);
    expect(facts.problems.length).toBeGreaterThan(0);
  });
});

/** A send's bindings as `name: [value texts as spelt]` (undefined: only known at run time). */
function bindingsOf(script: string, send: RawSend): Record<string, { values?: string[]; split?: string[]; filters?: unknown }> {
  return Object.fromEntries(
    (send.bindings ?? []).map((binding) => {
      const shown: { values?: string[]; split?: string[]; filters?: unknown } = {};
      if (binding.values) {
        shown.values = binding.values.map((value) => at(script, value.span)!);
        shown.split = binding.values.map((value) => value.split);
      }
      if (binding.filters) shown.filters = binding.filters;
      return [binding.name, shown];
    }),
  );
}

describe('loops and lists: the values a send takes', () => {
  it('binds a for variable to each word of its list, at the send', () => {
    const script = 'for repo in a b c; do gh workflow run ci.yml --repo "acme/$repo" || echo "failed: $repo"; done';
    const send = onlySend(script);
    expect(at(script, send.span)).toBe('gh workflow run ci.yml --repo "acme/$repo"');
    expect(send.repository?.text).toBe('acme/$repo');
    expect(send.bindings).toEqual([
      {
        name: 'repo',
        values: [
          { text: 'a', span: { start: 12, end: 13 }, split: 'none', expand: true },
          { text: 'b', span: { start: 14, end: 15 }, split: 'none', expand: true },
          { text: 'c', span: { start: 16, end: 17 }, split: 'none', expand: true },
        ],
      },
    ]);
  });

  it.each([
    ['a newline before do', 'for repo in a b\ndo\n  gh api repos/o/$repo/dispatches -f event_type=x\ndone'],
    ['do and done on their own lines', 'for repo in a b ; \n  do\n    gh api repos/o/$repo/dispatches -f event_type=x\n  done\n'],
    ['a list continued over lines', 'for repo in \\\n  a \\\n  b; do\n  gh api repos/o/$repo/dispatches -f event_type=x\ndone'],
    ['select', 'select repo in a b; do gh api repos/o/$repo/dispatches -f event_type=x; break; done'],
    ['a brace group and an if inside the body', 'for repo in a b; do { if true; then gh api repos/o/$repo/dispatches -f event_type=x; fi; }; done'],
  ])('reads a for loop with %s', (_name, script) => {
    expect(bindingsOf(script, onlySend(script))).toEqual({ repo: { values: ['a', 'b'], split: ['none', 'none'] } });
  });

  it('splits an unquoted $VAR of a for list, never a quoted one', () => {
    const unquoted = 'for r in $REPOS ${MORE} ${{ env.LIST }}; do gh api repos/o/$r/dispatches -f event_type=x; done';
    expect(bindingsOf(unquoted, onlySend(unquoted))).toEqual({ r: { values: ['$REPOS', '${MORE}', '${{ env.LIST }}'], split: ['words', 'words', 'words'] } });
    const quoted = 'for r in "$REPOS" "${{ env.LIST }}"; do gh api repos/o/$r/dispatches -f event_type=x; done';
    expect(bindingsOf(quoted, onlySend(quoted))).toEqual({ r: { values: ['"$REPOS"', '"${{ env.LIST }}"'], split: ['none', 'none'] } });
  });

  it('reads the lines of a while-read loop from a here-string, a here-document or an echo', () => {
    const hereString = 'while read -r r; do\n  gh api repos/$OWNER/$r/dispatches -f event_type=x\ndone <<< "$REPOS"';
    expect(bindingsOf(hereString, onlySend(hereString))).toEqual({ r: { values: ['"$REPOS"'], split: ['lines'] } });
    const heredoc = "while IFS= read -r r; do gh workflow run ci.yml -R \"o/$r\"; done <<'EOF'\nalpha\nbeta\nEOF\n";
    const send = onlySend(heredoc);
    expect(bindingsOf(heredoc, send)).toEqual({ r: { values: ['alpha\nbeta\n'], split: ['lines'] } });
    expect(send.bindings?.[0]?.values?.[0]?.expand).toBe(false); // a quoted delimiter: bash expands nothing
    const echoed = 'echo "$REPOS" | while read repo; do gh workflow run ci.yml -R "o/$repo"; done';
    expect(bindingsOf(echoed, onlySend(echoed))).toEqual({ repo: { values: ['"$REPOS"'], split: ['lines'] } });
    const printed = "printf '%s\\n' one two | while read repo; do gh workflow run ci.yml -R \"o/$repo\"; done";
    expect(bindingsOf(printed, onlySend(printed))).toEqual({ repo: { values: ['one', 'two'], split: ['lines', 'lines'] } });
  });

  it('reads arrays, quoted or not, and mapfile', () => {
    const script = 'repos=(a "b c" $D)\nfor r in "${repos[@]}"; do gh api repos/o/$r/dispatches -f event_type=x; done';
    expect(bindingsOf(script, onlySend(script))).toEqual({ r: { values: ['a', '"b c"', '$D'], split: ['none', 'none', 'words'] } });
    const unquoted = 'repos=(\n  a   # the first\n  "b c"\n)\nfor r in ${repos[@]}; do gh api repos/o/$r/dispatches -f event_type=x; done';
    expect(bindingsOf(unquoted, onlySend(unquoted))).toEqual({ r: { values: ['a', '"b c"'], split: ['words', 'words'] } });
    const mapfile = 'mapfile -t repos <<< "$REPOS"\nfor r in "${repos[@]}"; do gh api repos/o/$r/dispatches -f event_type=x; done';
    expect(bindingsOf(mapfile, onlySend(mapfile))).toEqual({ r: { values: ['"$REPOS"'], split: ['lines'] } });
  });

  it('gives one binding per variable of nested loops, outer first', () => {
    const script = 'for o in a b; do\n  for r in x y; do\n    gh api repos/$o/$r/dispatches -f event_type=$r\n  done\ndone';
    const send = onlySend(script);
    expect(send.bindings?.map((binding) => binding.name)).toEqual(['o', 'r']);
    expect(bindingsOf(script, send)).toEqual({ o: { values: ['a', 'b'], split: ['none', 'none'] }, r: { values: ['x', 'y'], split: ['none', 'none'] } });
  });

  it.each([
    ['a list from $(...)', 'for r in $(jq -r ".[]" repos.json); do gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['a list from backticks', 'for r in `cat repos`; do gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['a glob', 'for r in repos/*; do gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['a brace expansion', 'for r in app-{a,b}; do gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['"$@"', 'for r; do gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['a variable reassigned in the body', 'for r in a b; do r="$r-x"; gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['a variable made local in the body', 'for r in a b; do local r; gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['a variable rebound by an inner loop', 'for r in a b; do for r in c; do :; done; gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['lines from a file', 'while read -r r; do gh api repos/o/$r/dispatches -f event_type=x; done < repos.txt'],
    ['lines from a command', 'jq -r ".[]" f | while read -r r; do gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['a read of two names', 'while read -r r ev; do gh api repos/o/$r/dispatches -f event_type=x; done <<< "$LIST"'],
    ['a C-style for', 'for ((r = 0; r < 3; r++)); do gh api repos/o/r$r/dispatches -f event_type=x; done'],
    ['a loop variable used after its loop', 'for r in a b; do :; done\ngh api repos/o/$r/dispatches -f event_type=x'],
    ['an IFS the script changes', 'IFS=,\nfor r in $REPOS; do gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['a done with no do', 'done\nfor r in a; do gh api repos/o/$r/dispatches -f event_type=x; done'],
    ['an if never closed', 'for r in a; do if true; then gh api repos/o/$r/dispatches -f event_type=x; done'],
  ])('leaves the values unknown (unresolved) for %s', (_name, script) => {
    expect(bindingsOf(script, onlySend(script))).toEqual({ r: {} });
  });

  it('narrows the values in case arms, and in [ ] / [[ ]] tests of the variable', () => {
    const script = [
      'for r in a b c d; do',
      '  case "$r" in',
      '    a|b) gh api repos/o/$r/dispatches -f event_type=one ;;',
      '    *)',
      '      if [[ $r == c* ]]; then gh api repos/o/$r/dispatches -f event_type=two',
      '      elif [ "$r" != "x" ]; then gh api repos/o/$r/dispatches -f event_type=three',
      '      else gh api repos/o/$r/dispatches -f event_type=four; fi ;;',
      '  esac',
      'done',
    ].join('\n');
    const sends = parseShellScript(script).sends;
    expect(sends.map((send) => [send.eventType?.text, send.bindings?.[0]?.filters])).toEqual([
      ['one', [{ anyOf: ['a', 'b'] }]],
      ['two', [{ anyOf: ['c*'] }, { anyOf: ['*'], noneOf: ['a', 'b'] }]],
      ['three', [{ noneOf: ['x'] }, { noneOf: ['c*'] }, { anyOf: ['*'], noneOf: ['a', 'b'] }]],
      ['four', [{ noneOf: ['c*'] }, { anyOf: ['x'] }, { anyOf: ['*'], noneOf: ['a', 'b'] }]],
    ]);
  });

  it('does not narrow on a command that any value may pass, and does not guess on a test it cannot read', () => {
    const command = 'for r in a b; do if gh api "repos/o/$r" >/dev/null; then gh api repos/o/$r/dispatches -f event_type=x; fi; done';
    expect(bindingsOf(command, onlySend(command))).toEqual({ r: { values: ['a', 'b'], split: ['none', 'none'] } });
    const regex = 'for r in a b; do if [[ $r =~ ^a ]]; then gh api repos/o/$r/dispatches -f event_type=x; fi; done';
    expect(bindingsOf(regex, onlySend(regex))).toEqual({ r: {} });
  });

  it('reads a case inside $(...) without taking its pattern parenthesis for the end', () => {
    const script = 'OUT=$(for r in a b; do case $r in a) gh api repos/o/$r/dispatches -f event_type=x;; esac; done)';
    expect(bindingsOf(script, onlySend(script))).toEqual({ r: { values: ['a', 'b'], split: ['none', 'none'], filters: [{ anyOf: ['a'] }] } });
  });
});

describe('plain assignments before the send', () => {
  it('binds a literal assigned once before the send on every path, and what it reads in turn', () => {
    const script = 'OWNER=acme\nexport REPO="$OWNER/x"; gh api repos/$REPO/dispatches -f event_type=y';
    const send = onlySend(script);
    expect(send.repository?.text).toBe('$REPO');
    expect(bindingsOf(script, send)).toEqual({ OWNER: { values: ['acme'], split: ['none'] }, REPO: { values: ['"$OWNER/x"'], split: ['none'] } });
  });

  it('leaves the script environment alone: a name the script never assigns is the step env:s', () => {
    expect(onlySend('gh api repos/$OWNER/x/dispatches -f event_type=y').bindings).toBeUndefined();
  });

  it.each([
    ['assigned in a branch', 'if [ -n "$X" ]; then REPO=a/b; fi\ngh api repos/$REPO/dispatches -f event_type=y'],
    ['assigned twice', 'REPO=a/b\nREPO=a/c\ngh api repos/$REPO/dispatches -f event_type=y'],
    ['assigned after the send', 'gh api repos/$REPO/dispatches -f event_type=y\nREPO=a/b'],
    ['assigned after &&', 'cd x && REPO=a/b\ngh api repos/$REPO/dispatches -f event_type=y'],
    ['assigned in a subshell', '( REPO=a/b )\ngh api repos/$REPO/dispatches -f event_type=y'],
    ['assigned by $(...)', 'REPO=$(cat repo)\ngh api repos/$REPO/dispatches -f event_type=y'],
    ['assigned by read', 'read -r REPO < repo.txt\ngh api repos/$REPO/dispatches -f event_type=y'],
    ['appended to', 'REPO=a/\nREPO+=b\ngh api repos/$REPO/dispatches -f event_type=y'],
  ])('leaves a variable %s unknown', (_name, script) => {
    expect(bindingsOf(script, onlySend(script))).toEqual({ REPO: {} });
  });
});

describe('request bodies it cannot read', () => {
  it.each([
    ['gh api --input FILE', 'gh api repos/o/r/dispatches --input event.json', '--input event.json'],
    ['gh api --input - from a command', 'jq -n . | gh api repos/o/r/dispatches --input -', '--input -'],
    ['curl --data @FILE', 'curl -X POST https://api.github.com/repos/o/r/dispatches --data @event.json', '--data @event.json'],
    ['curl -d @- with an unknown stdin', 'cat e.json | curl https://api.github.com/repos/o/r/dispatches -d @-', '-d @-'],
    ['curl --data-urlencode', 'curl https://api.github.com/repos/o/r/dispatches --data-urlencode e@event.txt', '--data-urlencode e@event.txt'],
    ['curl -X POST -T FILE', 'curl -X POST -T event.json https://api.github.com/repos/o/r/dispatches', '-T event.json'],
  ])('gives %s an unresolved event type at the option, not an empty one', (_name, script, option) => {
    const send = onlySend(script);
    expect(send.eventType).toEqual({ text: option, span: send.eventType?.span, exact: false });
    expect(at(script, send.eventType?.span)).toBe(option);
    expect(send.payload?.kind).toBe('unknown');
  });

  it('reads no event type into a workflow dispatch body it cannot see', () => {
    expect(onlySend('gh api repos/o/r/actions/workflows/ci.yml/dispatches --input body.json').eventType).toBeUndefined();
  });

  it('takes -F event_type=@file as read from a file', () => {
    expect(onlySend('gh api repos/o/r/dispatches -F event_type=@type.txt').eventType?.exact).toBe(false);
  });
});

describe('linear time', () => {
  const command = 'gh api repos/acme/target/dispatches -f event_type=built';

  it('finds every send of a 16,000-command && chain, each at its own span', () => {
    const script = Array(16_000).fill(command).join(' && ');
    const sends = parseShellScript(script).sends;
    expect(sends).toHaveLength(16_000);
    expect(at(script, sends[15_999]?.span)).toBe(command);
    expect(sends[15_999]?.span.start).toBe(15_999 * (command.length + 4));
  });

  it('finds every send of a 1 MB line, piped and reading the event file', () => {
    const piped = `jq .client_payload.x "$GITHUB_EVENT_PATH" | ${command}`;
    const script = Array(Math.floor(1_000_000 / (piped.length + 4))).fill(piped).join(' && ');
    const facts = parseShellScript(script);
    expect(facts.sends).toHaveLength(Math.floor(1_000_000 / (piped.length + 4)));
    expect(facts.payloadReads.filter((read) => !read.whole)).toHaveLength(facts.sends.length);
  });
});
