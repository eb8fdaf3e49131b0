import { describe, expect, it } from 'vitest';
import { parseGithubScript } from '../../src/extract/github-script.js';
import type { RawField, RawPayload, RawSend, RawValue, Span } from '../../src/extract/raw-send.js';

/** The script text a span covers. */
function at(script: string, span: Span): string {
  return script.slice(span.start, span.end);
}

function onlySend(script: string): RawSend {
  const { sends, problems } = parseGithubScript(script);
  expect(problems).toEqual([]);
  expect(sends).toHaveLength(1);
  return sends[0] as RawSend;
}

/** text, exact and the source the span covers, for compact assertions. */
function described(script: string, value: RawValue | undefined): { text: string; exact: boolean; source: string } | undefined {
  return value && { text: value.text, exact: value.exact, source: at(script, value.span) };
}

function fieldsOf(payload: RawPayload | undefined): RawField[] {
  expect(payload?.kind).toBe('fields');
  return payload?.kind === 'fields' ? payload.fields : [];
}

function readsOf(script: string): { path: string[]; whole: boolean; source: string }[] {
  const { payloadReads, problems } = parseGithubScript(script);
  expect(problems).toEqual([]);
  return payloadReads.map((read) => ({ path: read.path, whole: read.whole, source: at(script, read.span) }));
}

describe('call forms', () => {
  it('finds github.rest.repos.createDispatchEvent with its parameters', () => {
    const script = [
      "await github.rest.repos.createDispatchEvent({",
      "  owner: 'acme',",
      "  repo: 'api',",
      "  event_type: 'deploy',",
      "  client_payload: { version: '1.2' },",
      '});',
    ].join('\n');
    const send = onlySend(script);
    expect(send.kind).toBe('repository_dispatch');
    expect(send.form).toBe('github-script');
    expect(at(script, send.span)).toMatch(/^github\.rest\.repos\.createDispatchEvent\(\{[\s\S]*\}\)$/);
    expect(described(script, send.owner)).toEqual({ text: 'acme', exact: true, source: "'acme'" });
    expect(described(script, send.repo)).toEqual({ text: 'api', exact: true, source: "'api'" });
    expect(described(script, send.eventType)).toEqual({ text: 'deploy', exact: true, source: "'deploy'" });
    expect(send.workflow).toBeUndefined();
    expect(fieldsOf(send.payload).map((f) => f.path)).toEqual([['version']]);
  });

  it('finds the older github.repos.createDispatchEvent and an octokit receiver, with or without await', () => {
    const script = [
      "github.repos.createDispatchEvent({ owner: 'a', repo: 'b', event_type: 'one' });",
      "const r = await octokit.rest.repos.createDispatchEvent({ owner: 'a', repo: 'b', event_type: 'two' });",
      "this.client.octokit.repos.createDispatchEvent({ owner: 'a', repo: 'b', event_type: 'three' });",
    ].join('\n');
    const { sends } = parseGithubScript(script);
    expect(sends.map((s) => s.eventType?.text)).toEqual(['one', 'two', 'three']);
    expect(sends.every((s) => s.kind === 'repository_dispatch')).toBe(true);
  });

  it('finds github.rest.actions.createWorkflowDispatch with workflow, ref and inputs', () => {
    const script = [
      'const suite = process.env.SUITE;',
      'await github.rest.actions.createWorkflowDispatch({',
      '  owner: context.repo.owner,',
      "  repo: 'ecosystem-ci',",
      "  workflow_id: 'from-pr.yml',",
      "  ref: 'main',",
      "  inputs: { prNumber: '' + pr.num, suite },",
      '});',
    ].join('\n');
    const send = onlySend(script);
    expect(send.kind).toBe('workflow_dispatch');
    expect(described(script, send.owner)).toEqual({
      text: '${{ github.repository_owner }}',
      exact: true,
      source: 'context.repo.owner',
    });
    expect(described(script, send.workflow)).toEqual({ text: 'from-pr.yml', exact: true, source: "'from-pr.yml'" });
    expect(described(script, send.ref)).toEqual({ text: 'main', exact: true, source: "'main'" });
    expect(send.eventType).toBeUndefined();
    const fields = fieldsOf(send.payload);
    expect(fields.map((f) => [f.path.join('.'), f.valueType, f.value.text, f.value.exact])).toEqual([
      ['prNumber', 'string', "'' + pr.num", false],
      ['suite', 'unknown', '$SUITE', true],
    ]);
  });

  it('finds the older github.actions.createWorkflowDispatch and a numeric workflow id', () => {
    const script = "github.actions.createWorkflowDispatch({ owner: 'a', repo: 'b', workflow_id: 1234, ref: 'main' });";
    const send = onlySend(script);
    expect(send.kind).toBe('workflow_dispatch');
    expect(described(script, send.workflow)).toEqual({ text: '1234', exact: true, source: '1234' });
    expect(send.payload).toBeUndefined();
  });

  it('fills request route placeholders from the parameters', () => {
    const script = [
      "await github.request('POST /repos/{owner}/{repo}/dispatches', {",
      "  owner: 'acme', repo: 'api', event_type: 'built', client_payload: { sha: context.sha },",
      '});',
    ].join('\n');
    const send = onlySend(script);
    expect(send.kind).toBe('repository_dispatch');
    expect(described(script, send.owner)).toEqual({ text: 'acme', exact: true, source: "'acme'" });
    expect(described(script, send.repo)).toEqual({ text: 'api', exact: true, source: "'api'" });
    expect(described(script, send.eventType)).toEqual({ text: 'built', exact: true, source: "'built'" });
    const [sha] = fieldsOf(send.payload);
    expect(described(script, sha?.value)).toEqual({ text: '${{ github.sha }}', exact: true, source: 'context.sha' });
  });

  it('reads owner, repo and workflow spelt in a literal route, with spans inside the string', () => {
    const script =
      "await octokit.request('POST /repos/acme/api/actions/workflows/release.yml/dispatches', { ref: 'v1', inputs: { dry: false } });";
    const send = onlySend(script);
    expect(send.kind).toBe('workflow_dispatch');
    expect(described(script, send.owner)).toEqual({ text: 'acme', exact: true, source: 'acme' });
    expect(described(script, send.repo)).toEqual({ text: 'api', exact: true, source: 'api' });
    expect(described(script, send.workflow)).toEqual({ text: 'release.yml', exact: true, source: 'release.yml' });
    expect(described(script, send.ref)).toEqual({ text: 'v1', exact: true, source: "'v1'" });
    expect(fieldsOf(send.payload).map((f) => [f.path, f.valueType])).toEqual([[['dry'], 'boolean']]);
  });

  it('takes a route segment holding owner/name as the whole repository', () => {
    const script = "github.request('POST /repos/${{ github.repository }}/dispatches', { event_type: 'e' });";
    const send = onlySend(script);
    expect(described(script, send.repository)).toEqual({
      text: '${{ github.repository }}',
      exact: true,
      source: '${{ github.repository }}',
    });
    expect(send.owner).toBeUndefined();
  });

  it('reads a template route and a method given as a parameter', () => {
    const script = [
      "const owner = 'acme';",
      "github.request(`/repos/${owner}/${name}/dispatches`, { method: 'POST', event_type: 'e' });",
    ].join('\n');
    const send = onlySend(script);
    expect(described(script, send.owner)).toEqual({ text: 'acme', exact: true, source: "'acme'" });
    expect(described(script, send.repo)).toEqual({ text: 'name', exact: false, source: 'name' });
  });

  it('ignores requests that dispatch nothing and other Octokit calls', () => {
    const script = [
      "await github.request('GET /repos/{owner}/{repo}/dispatches', { owner: 'a', repo: 'b' });",
      "await github.request('POST /repos/{owner}/{repo}/issues', { owner: 'a', repo: 'b' });",
      "await github.rest.issues.createComment({ owner: 'a', repo: 'b', issue_number: 1, body: 'x' });",
      'const dispatch = createDispatchEvent;',
    ].join('\n');
    expect(parseGithubScript(script).sends).toEqual([]);
  });
});

describe('value forms', () => {
  function eventTypeOf(script: string): ReturnType<typeof described> {
    return described(script, onlySend(script).eventType);
  }

  it('keeps a ${{ }} inside a string literal as written', () => {
    const script = "github.rest.repos.createDispatchEvent({ event_type: 'release-${{ steps.v.outputs.version }}' });";
    expect(eventTypeOf(script)).toEqual({
      text: 'release-${{ steps.v.outputs.version }}',
      exact: true,
      source: "'release-${{ steps.v.outputs.version }}'",
    });
  });

  it('does not end a ${{ }} at a }} inside one of its strings', () => {
    const script = "github.rest.repos.createDispatchEvent({ event_type: '${{ format('{0}}}', x) }}' });";
    expect(eventTypeOf(script)?.text).toBe("${{ format('{0}}}', x) }}");
  });

  it('gives a bare ${{ }} as an exact value holding the expression', () => {
    const script = 'github.rest.repos.createDispatchEvent({ event_type: ${{ toJSON(inputs.event) }} });';
    expect(eventTypeOf(script)).toEqual({
      text: '${{ toJSON(inputs.event) }}',
      exact: true,
      source: '${{ toJSON(inputs.event) }}',
    });
  });

  it('treats a template literal as exact only when every part is exact', () => {
    const exactScript = 'github.rest.repos.createDispatchEvent({ event_type: `deploy-${{ inputs.env }}-${context.repo.repo}` });';
    expect(eventTypeOf(exactScript)).toEqual({
      text: 'deploy-${{ inputs.env }}-${{ github.event.repository.name }}',
      exact: true,
      source: '`deploy-${{ inputs.env }}-${context.repo.repo}`',
    });
    const inexactScript = 'github.rest.repos.createDispatchEvent({ event_type: `deploy-${env.toLowerCase()}` });';
    expect(eventTypeOf(inexactScript)).toEqual({
      text: 'deploy-${env.toLowerCase()}',
      exact: false,
      source: '`deploy-${env.toLowerCase()}`',
    });
  });

  it('maps context.repo.owner and context.repo.repo to their expressions', () => {
    const script = 'github.rest.repos.createDispatchEvent({ owner: context.repo.owner, repo: context.repo.repo });';
    const send = onlySend(script);
    expect(described(script, send.owner)).toEqual({
      text: '${{ github.repository_owner }}',
      exact: true,
      source: 'context.repo.owner',
    });
    expect(described(script, send.repo)).toEqual({
      text: '${{ github.event.repository.name }}',
      exact: true,
      source: 'context.repo.repo',
    });
  });

  it('spreads context.repo into owner and repo, and later properties win', () => {
    const script = "github.rest.actions.createWorkflowDispatch({ ...context.repo, repo: 'other', workflow_id: 'w.yml' });";
    const send = onlySend(script);
    expect(described(script, send.owner)).toEqual({
      text: '${{ github.repository_owner }}',
      exact: true,
      source: 'context.repo',
    });
    expect(described(script, send.repo)).toEqual({ text: 'other', exact: true, source: "'other'" });
  });

  it('follows shorthand properties and identifiers to top-level constants', () => {
    const script = [
      "const repo = 'api';",
      'let event = `deploy`;',
      'const owner = context.repo.owner;',
      'github.rest.repos.createDispatchEvent({ owner, repo, event_type: event });',
    ].join('\n');
    const send = onlySend(script);
    expect(described(script, send.repo)).toEqual({ text: 'api', exact: true, source: "'api'" });
    expect(described(script, send.eventType)).toEqual({ text: 'deploy', exact: true, source: '`deploy`' });
    expect(described(script, send.owner)).toEqual({
      text: '${{ github.repository_owner }}',
      exact: true,
      source: 'context.repo.owner',
    });
  });

  it('does not follow a reassigned, computed or nested binding', () => {
    const script = [
      "let repo = 'api';",
      "if (x) repo = 'web';",
      "const event = flag ? 'a' : 'b';",
      'function send() {',
      "  const owner = 'inner';",
      '  return github.rest.repos.createDispatchEvent({ owner, repo, event_type: event });',
      '}',
    ].join('\n');
    const send = onlySend(script);
    expect(described(script, send.repo)).toEqual({ text: 'repo', exact: false, source: 'repo' });
    expect(described(script, send.eventType)).toEqual({ text: 'event', exact: false, source: 'event' });
    expect(described(script, send.owner)).toEqual({ text: 'owner', exact: false, source: 'owner' });
  });

  it('maps process.env.X to $X, and to ${X} inside a longer text', () => {
    const script = 'github.rest.repos.createDispatchEvent({ repo: process.env.TARGET, event_type: `build-${process.env.KIND}` });';
    const send = onlySend(script);
    expect(described(script, send.repo)).toEqual({ text: '$TARGET', exact: true, source: 'process.env.TARGET' });
    expect(send.eventType?.text).toBe('build-${KIND}');
    expect(send.eventType?.exact).toBe(true);
  });

  it('gives anything else as inexact source text, ${{ }} restored', () => {
    const script = "github.rest.repos.createDispatchEvent({ repo: names['${{ matrix.x }}'].trim() });";
    expect(described(script, onlySend(script).repo)).toEqual({
      text: "names['${{ matrix.x }}'].trim()",
      exact: false,
      source: "names['${{ matrix.x }}'].trim()",
    });
  });

  it('reports parameters it cannot see as inexact, from the opaque argument', () => {
    const script = 'await github.rest.repos.createDispatchEvent(params);';
    const send = onlySend(script);
    expect(described(script, send.eventType)).toEqual({ text: 'params', exact: false, source: 'params' });
    expect(send.payload).toMatchObject({ kind: 'unknown' });
  });
});

describe('payloads', () => {
  it('lists top-level and nested keys with their types and key spans', () => {
    const script = [
      'github.rest.repos.createDispatchEvent({ event_type: "e", client_payload: {',
      "  version: '${{ steps.v.outputs.version }}',",
      '  "quoted-key": `x`,',
      '  count: 3, ok: true, none: null, list: [1, 2],',
      "  meta: { sha: context.sha, 'by': context.actor },",
      '  raw: ${{ toJSON(inputs.extra) }},',
      '  other: compute(),',
      '} });',
    ].join('\n');
    const fields = fieldsOf(onlySend(script).payload);
    expect(
      fields.map((f) => ({ path: f.path.join('.'), type: f.valueType, key: at(script, f.keySpan), value: f.value.text })),
    ).toEqual([
      { path: 'version', type: 'string', key: 'version', value: '${{ steps.v.outputs.version }}' },
      { path: 'quoted-key', type: 'string', key: '"quoted-key"', value: 'x' },
      { path: 'count', type: 'number', key: 'count', value: '3' },
      { path: 'ok', type: 'boolean', key: 'ok', value: 'true' },
      { path: 'none', type: 'null', key: 'none', value: 'null' },
      { path: 'list', type: 'array', key: 'list', value: '[1, 2]' },
      { path: 'meta', type: 'object', key: 'meta', value: "{ sha: context.sha, 'by': context.actor }" },
      { path: 'meta.sha', type: 'unknown', key: 'sha', value: '${{ github.sha }}' },
      { path: 'meta.by', type: 'unknown', key: "'by'", value: '${{ github.actor }}' },
      { path: 'raw', type: 'unknown', key: 'raw', value: '${{ toJSON(inputs.extra) }}' },
      { path: 'other', type: 'unknown', key: 'other', value: 'compute()' },
    ]);
    const version = fields[0];
    expect(version && at(script, version.value.span)).toBe("'${{ steps.v.outputs.version }}'");
  });

  it('reads a payload object from a top-level constant, with the constant spans', () => {
    const script = ["const payload = { tag: 'v1' };", "github.rest.repos.createDispatchEvent({ event_type: 'e', client_payload: payload });"].join('\n');
    const payload = onlySend(script).payload;
    expect(payload?.kind === 'fields' && at(script, payload.span)).toBe("{ tag: 'v1' }");
    expect(fieldsOf(payload).map((f) => [f.path, at(script, f.keySpan)])).toEqual([[['tag'], 'tag']]);
  });

  it('says a string payload is not an object', () => {
    for (const value of ["'{\"a\": 1}'", '`{"a": ${x}}`', 'JSON.stringify(data)']) {
      const script = `github.rest.repos.createDispatchEvent({ event_type: 'e', client_payload: ${value} });`;
      const payload = onlySend(script).payload;
      expect(payload?.kind).toBe('not-object');
      expect(payload?.kind === 'not-object' && at(script, payload.span)).toBe(value);
    }
  });

  it('cannot see into a variable or a call', () => {
    for (const value of ['data', 'JSON.parse(process.env.PAYLOAD)', 'context.payload.client_payload']) {
      const script = `github.rest.actions.createWorkflowDispatch({ workflow_id: 'w.yml', inputs: ${value} });`;
      const payload = onlySend(script).payload;
      expect(payload?.kind).toBe('unknown');
      expect(payload?.kind === 'unknown' && at(script, payload.span)).toBe(value);
    }
  });

  it('reports a payload with an unknown spread or computed key as unknown, not as its visible fields', () => {
    for (const value of ['{ ...defaults, a: 1 }', '{ [name]: 1, a: 2 }']) {
      const script = `github.rest.repos.createDispatchEvent({ event_type: 'e', client_payload: ${value} });`;
      expect(onlySend(script).payload?.kind).toBe('unknown');
    }
    const known = "const base = { a: 1 };\ngithub.rest.repos.createDispatchEvent({ client_payload: { ...base, b: '2' } });";
    expect(fieldsOf(onlySend(known).payload).map((f) => f.path.join('.'))).toEqual(['a', 'b']);
  });

  it('takes a bare ${{ }} payload as JSON text', () => {
    const script = "github.rest.repos.createDispatchEvent({ event_type: 'e', client_payload: ${{ toJSON(github.event.inputs) }} });";
    const payload = onlySend(script).payload;
    expect(payload?.kind).toBe('json-text');
    expect(payload?.kind === 'json-text' && described(script, payload.text)).toEqual({
      text: '${{ toJSON(github.event.inputs) }}',
      exact: true,
      source: '${{ toJSON(github.event.inputs) }}',
    });
  });

  it('leaves the payload undefined when none is sent', () => {
    expect(onlySend("github.rest.repos.createDispatchEvent({ event_type: 'e' });").payload).toBeUndefined();
  });
});

describe('payload reads', () => {
  it('reads paths through dots and literal brackets, spanning the member expression', () => {
    const script = "const v = context.payload.client_payload.release.tag;\nrun(context.payload.client_payload['sha']);";
    expect(readsOf(script)).toEqual([
      { path: ['release', 'tag'], whole: false, source: 'context.payload.client_payload.release.tag' },
      { path: ['sha'], whole: false, source: "context.payload.client_payload['sha']" },
    ]);
  });

  it('counts a payload used whole as a whole read', () => {
    const script = [
      'core.info(JSON.stringify(context.payload.client_payload));',
      'const copy = { ...context.payload.client_payload };',
      'x = context.payload.client_payload;',
      'const k = context.payload.client_payload[name];',
      'const a = context.payload.client_payload.args[0];',
      'const b = context.payload.client_payload.args[i];',
      'return context.payload.client_payload;',
    ].join('\n');
    expect(readsOf(script)).toEqual([
      { path: [], whole: true, source: 'context.payload.client_payload' },
      { path: [], whole: true, source: 'context.payload.client_payload' },
      { path: [], whole: true, source: 'context.payload.client_payload' },
      { path: [], whole: true, source: 'context.payload.client_payload[name]' },
      { path: ['args', '0'], whole: false, source: 'context.payload.client_payload.args[0]' },
      { path: ['args'], whole: true, source: 'context.payload.client_payload.args[i]' },
      { path: [], whole: true, source: 'context.payload.client_payload' },
    ]);
  });

  it('counts context.payload used whole as a whole client_payload read, other event fields not at all', () => {
    const script = 'console.log(JSON.stringify(context.payload));\nconst n = context.payload.pull_request.number;';
    expect(readsOf(script)).toEqual([{ path: [], whole: true, source: 'context.payload' }]);
  });

  it('does not count a truth test or a comparison as a read', () => {
    const script = 'if (context.payload.client_payload && context.payload.client_payload !== null) {}';
    expect(readsOf(script)).toEqual([]);
  });

  it('follows a const alias, like dapr-style test setup scripts', () => {
    const script = [
      'const testPayload = context.payload.client_payload;',
      'if (testPayload && testPayload.command == "ok-to-test") {',
      '  const args = (testPayload.args || "").split(/\\s+/);',
      '  fs.appendFileSync(process.env.GITHUB_ENV, `REF=${testPayload.pull_head_ref}\\n` + `PR=${testPayload?.issue.number}`);',
      '}',
    ].join('\n');
    expect(readsOf(script)).toEqual([
      { path: ['command'], whole: false, source: 'testPayload.command' },
      { path: ['args'], whole: false, source: 'testPayload.args' },
      { path: ['pull_head_ref'], whole: false, source: 'testPayload.pull_head_ref' },
      { path: ['issue', 'number'], whole: false, source: 'testPayload?.issue.number' },
    ]);
  });

  it('does not take a method call for a key', () => {
    expect(readsOf('const parts = context.payload.client_payload.args.split(" ");')).toEqual([
      { path: ['args'], whole: false, source: 'context.payload.client_payload.args' },
    ]);
  });

  it('follows aliases made with a default, through context.payload, and through destructuring', () => {
    const script = [
      'const p = context.payload.client_payload || {};',
      'const event = context.payload;',
      'const { client_payload: cp } = context.payload;',
      'log(p.a, event.client_payload.b, cp.c);',
      'send(cp);',
    ].join('\n');
    expect(readsOf(script)).toEqual([
      { path: ['a'], whole: false, source: 'p.a' },
      { path: ['b'], whole: false, source: 'event.client_payload.b' },
      { path: ['c'], whole: false, source: 'cp.c' },
      { path: [], whole: true, source: 'cp' },
    ]);
  });

  it('reads destructured keys, nested ones and defaults, spanning the property', () => {
    const script = [
      "const { version, tag: t, meta: { sha }, ref = 'main' } = context.payload.client_payload;",
      'const { client_payload: { env } } = context.payload;',
      'use(version.major);',
    ].join('\n');
    expect(readsOf(script)).toEqual([
      { path: ['version'], whole: false, source: 'version' },
      { path: ['tag'], whole: false, source: 'tag: t' },
      { path: ['meta', 'sha'], whole: false, source: 'sha' },
      { path: ['ref'], whole: false, source: "ref = 'main'" },
      { path: ['env'], whole: false, source: 'env' },
      { path: ['version', 'major'], whole: false, source: 'version.major' },
    ]);
  });

  it('counts a rest element as a whole read', () => {
    expect(readsOf('const { a, ...others } = context.payload.client_payload;')).toEqual([
      { path: ['a'], whole: false, source: 'a' },
      { path: [], whole: true, source: '...others' },
    ]);
  });

  it('does not follow an alias that is reassigned: its first value is used whole', () => {
    const script = 'let p = context.payload.client_payload;\nif (!p) p = {};\nlog(p.x);';
    expect(readsOf(script)).toEqual([{ path: [], whole: true, source: 'context.payload.client_payload' }]);
  });

  it('counts a local script loaded with require or import as reading anything', () => {
    const script = [
      "const fs = require('fs');",
      "const core2 = require('@actions/core');",
      "const bot = require('./.github/scripts/bot.js');",
      "const { run } = await import('${{ github.workspace }}/scripts/run.mjs');",
      'const dyn = require(path.join(dir, "x.js"));',
    ].join('\n');
    expect(readsOf(script)).toEqual([
      { path: [], whole: true, source: "require('./.github/scripts/bot.js')" },
      { path: [], whole: true, source: "import('${{ github.workspace }}/scripts/run.mjs')" },
      { path: [], whole: true, source: 'require(path.join(dir, "x.js"))' },
    ]);
    expect(parseGithubScript(script).sends).toEqual([]);
  });
});

describe('${{ }} placeholders and parsing', () => {
  it('parses a script with bare expressions, top-level await and return', () => {
    const script = [
      'const p = ${{ toJSON(github.event.client_payload) }};',
      'const n = ${{ github.run_number }} + 1;',
      "if (!p.version) return 'none';",
      "await github.rest.repos.createDispatchEvent({ event_type: '${{ inputs.event }}', client_payload: p });",
    ].join('\n');
    const { sends, problems } = parseGithubScript(script);
    expect(problems).toEqual([]);
    expect(sends[0]?.eventType?.text).toBe('${{ inputs.event }}');
    expect(sends[0]?.payload?.kind).toBe('unknown');
  });

  it('masks very short expressions too', () => {
    const script = 'github.rest.repos.createDispatchEvent({ event_type: ${{x}}, repo: `${{ y }}` });';
    const send = onlySend(script);
    expect(described(script, send.eventType)).toEqual({ text: '${{x}}', exact: true, source: '${{x}}' });
    expect(send.repo?.text).toBe('${{ y }}');
  });

  it('reports an unparsable script as one problem at the error offset, with no sends', () => {
    const script = "const x = ;\ngithub.rest.repos.createDispatchEvent({ event_type: 'e' });";
    const facts = parseGithubScript(script);
    expect(facts.sends).toEqual([]);
    expect(facts.payloadReads).toEqual([]);
    expect(facts.problems).toHaveLength(1);
    expect(facts.problems[0]?.message).toMatch(/could not be parsed: Unexpected token .* at offset 10/);
    expect(facts.problems[0]?.span).toEqual({ start: 10, end: 11 });
  });

  it('keeps client_payload reads unknown when an unparsable script mentions it', () => {
    const script = 'const v = context.payload.client_payload.version\nif (v {';
    const facts = parseGithubScript(script);
    expect(facts.problems).toHaveLength(1);
    expect(facts.payloadReads).toHaveLength(1);
    expect(facts.payloadReads[0]).toMatchObject({ path: [], whole: true });
    expect(at(script, facts.payloadReads[0]?.span ?? { start: 0, end: 0 })).toBe('client_payload');
  });

  it('does not parse a script that names no dispatch, payload or loaded file: it has nothing to find', () => {
    // Unparsable, but an error in it hides no dispatch, so it gives no problem either.
    expect(parseGithubScript("const x = ;\ncore.setOutput('a', 1);")).toEqual({ sends: [], payloadReads: [], problems: [] });
    // Each word alone brings the parse back (and its problem with it).
    for (const word of ['dispatch', 'payload', 'require', 'import', 'createDispatchEvent']) {
      expect(parseGithubScript(`const x = ;\n// ${word}`).problems, word).toHaveLength(1);
    }
  });

  it('never throws on odd input', () => {
    for (const script of ['', '${{', '${{ a', "${{ '}}", '`${', '}}}', '\u0000', 'x'.repeat(10) + '('.repeat(5000)]) {
      expect(() => parseGithubScript(script)).not.toThrow();
    }
  });
});
