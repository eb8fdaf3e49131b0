/** The issue-10 sender forms, one workflow file at a time: slash-command-dispatch, request-action, forks. */
import { describe, expect, it } from 'vitest';
import type { PayloadFacts, Send } from '../../src/model.js';
import { parseExpression } from '../../src/expressions/parse.js';
import { possibleValues } from '../../src/expressions/evaluate.js';
import { resolveText, type Scope } from '../../src/resolve/resolver.js';
import { ACTION_ALIASES, actionOf, findActionSender, isAppTokenAction, isGithubScript, isRequestAction, isSlashCommandDispatch } from '../../src/extract/senders/actions.js';
import type { RepositoryFiles } from '../../src/extract/repository-files.js';
import { extractWorkflow } from '../../src/extract/workflow.js';

const extract = (text: string, files?: RepositoryFiles) => extractWorkflow({ repo: 'acme/app', path: '.github/workflows/w.yml', text }, files ? { files } : {});
const named = (send: Send | undefined) => send?.eventType?.value ?? send?.workflow?.value;
const fieldsOf = (payload: PayloadFacts | undefined) => (payload?.kind === 'object' ? payload.fields.map((field) => `${field.path.join('.')}:${field.valueType}${field.value !== undefined ? `=${field.value}` : ''}`) : payload?.kind);
const at = (send: Send | undefined) => {
  const position = send?.eventType?.position ?? send?.workflow?.position;
  return position && `${position.line}:${position.column}`;
};

const commentWorkflow = (uses: string, withLines: string, env = '') => `on:
  issue_comment:
    types: [created]
${env}jobs:
  dispatch:
    runs-on: ubuntu-latest
    steps:
      - uses: ${uses}
        with:
${withLines}`;

describe('the resolver: values chosen by a condition known only at run time', () => {
  const scope: Scope = { contexts: { env: { A: 'deploy', B: 'rebase' }, github: { repository: 'acme/app' } }, shellEnv: {}, declared: () => undefined };
  const values = (source: string) => {
    const parsed = parseExpression(source);
    return parsed.ok ? possibleValues(parsed.expr, scope.contexts) : 'parse error';
  };

  it('takes every value that a && b || c can return, and only with the option', () => {
    expect(values('github.event.issue.pull_request && env.A || env.B')).toEqual(['deploy', 'rebase']);
    expect(values("(github.event_name == 'push') && 'x' || (inputs.flag && env.A || 'y')")).toEqual(['x', 'deploy', 'y']);
    expect(values('env.A || env.B')).toEqual(['deploy']);
    expect(resolveText('${{ github.event.issue.pull_request && env.A || env.B }}-command', scope, { alternatives: true })).toEqual(['deploy-command', 'rebase-command']);
    expect(resolveText('${{ github.event.issue.pull_request && env.A || env.B }}', scope)).toBeUndefined();
  });

  it('stays unknown where an unknown value itself may be returned', () => {
    expect(values("inputs.commands || 'deploy'")).toBeUndefined();
    expect(values("github.event.issue.pull_request && 'rebase'")).toBeUndefined();
    expect(values('steps.list.outputs.commands')).toBeUndefined();
  });
});

describe('peter-evans/slash-command-dispatch', () => {
  it('one repository_dispatch per command, each value of a chosen env block scalar, with the action payload', () => {
    const facts = extract(
      commentWorkflow(
        'peter-evans/slash-command-dispatch@v4',
        `          token: \${{ secrets.PAT }}
          repository: acme/ops
          event-type-suffix: -cmd
          commands: \${{ github.event.issue.pull_request && env.PR || env.ISSUE }}
`,
        `env:
  PR: |
    rebase
    test, lint
  ISSUE: deploy
`,
      ),
    );
    expect(facts.sends.map((send) => [send.kind, send.target.value, named(send), at(send)])).toEqual([
      ['repository_dispatch', 'acme/ops', 'rebase-cmd', '18:21'],
      ['repository_dispatch', 'acme/ops', 'test-cmd', '18:21'],
      ['repository_dispatch', 'acme/ops', 'lint-cmd', '18:21'],
      ['repository_dispatch', 'acme/ops', 'deploy-cmd', '18:21'],
    ]);
    const [first] = facts.sends;
    expect(first?.token).toMatchObject({ kind: 'secret', name: 'PAT' });
    expect(first?.payload).toMatchObject({ kind: 'object', builtBy: 'peter-evans/slash-command-dispatch' });
    expect(fieldsOf(first?.payload)).toEqual([
      'slash_command:object',
      'slash_command.command:string=rebase',
      'slash_command.args:object',
      'slash_command.args.all:string',
      'slash_command.args.unnamed:unknown',
      'slash_command.args.named:unknown',
      'github:unknown',
      'pull_request:unknown',
    ]);
  });

  it('points at each command of a literal list; the token is required; issue-type issue sends no pull_request', () => {
    const facts = extract(
      commentWorkflow(
        'peter-evans/slash-command-dispatch@v3',
        `          issue-type: issue
          commands: |
            deploy
            integration-test
`,
      ),
    );
    expect(facts.sends.map((send) => [named(send), at(send), send.target.value])).toEqual([
      ['deploy-command', '12:13', 'acme/app'],
      ['integration-test-command', '13:13', 'acme/app'],
    ]);
    expect(facts.sends[0]?.token.kind).toBe('missing');
    expect(fieldsOf(facts.sends[0]?.payload)).not.toContain('pull_request:unknown');
  });

  it('v1: whitespace removed before splitting on commas, no dispatch-type, a slash_command of unknown shape', () => {
    const facts = extract(
      commentWorkflow(
        'peter-evans/slash-command-dispatch@v1.2.0',
        `          token: \${{ secrets.PAT }}
          dispatch-type: workflow
          commands: |
            deploy
            build, docs
`,
      ),
    );
    expect(facts.sends.map((send) => [send.kind, named(send)])).toEqual([
      ['repository_dispatch', 'deploybuild-command'],
      ['repository_dispatch', 'docs-command'],
    ]);
    expect(fieldsOf(facts.sends[0]?.payload)).toEqual(['slash_command:unknown', 'github:unknown', 'pull_request:unknown']);
  });

  it('workflow dispatch: <command><suffix>.yml, .yaml too from v5, named static args as inputs and ref', () => {
    const step = (version: string) =>
      commentWorkflow(
        `peter-evans/slash-command-dispatch@${version}`,
        `          token: \${{ secrets.PAT }}
          dispatch-type: workflow
          commands: deploy
          static-args: |
            production
            region="eu west"
            ref=release
`,
      );
    const v4 = extract(step('v4')).sends[0];
    expect([v4?.kind, named(v4), v4?.workflowAlternatives, v4?.ref?.value]).toEqual(['workflow_dispatch', 'deploy-command.yml', undefined, 'release']);
    expect(fieldsOf(v4?.payload)).toEqual(['region:string=eu west']);
    expect(v4?.payload).toMatchObject({ runTimeKeys: 'the named arguments of the chat-ops comment' });
    expect(extract(step('v5')).sends[0]?.workflowAlternatives).toEqual(['deploy-command.yaml']);
    expect(extract(step('0123456789abcdef0123456789abcdef01234567')).sends[0]?.workflowAlternatives).toEqual(['deploy-command.yaml']);
  });

  it('inline JSON config: each command with its own repository, suffix and dispatch type, located in the JSON', () => {
    const facts = extract(
      commentWorkflow(
        'peter-evans/slash-command-dispatch@v4',
        `          token: \${{ secrets.PAT }}
          repository: ignored/by-json-config
          config: >
            [
              {"command": "rebase", "issue_type": "pull-request", "repository": "acme/processor"},
              {"command": "notes", "event_type_suffix": "-cmd"},
              {"command": "format", "dispatch_type": "workflow", "static_args": ["style=strict"]}
            ]
`,
      ),
    );
    expect(facts.sends.map((send) => [send.kind, send.target.value, named(send), at(send)])).toEqual([
      ['repository_dispatch', 'acme/processor', 'rebase-command', '14:27'],
      ['repository_dispatch', 'acme/app', 'notes-cmd', '15:27'],
      ['workflow_dispatch', 'acme/app', 'format-command.yml', '16:27'],
    ]);
    expect(fieldsOf(facts.sends[2]?.payload)).toEqual(['style:string=strict']);
  });

  it('an invalid setting fails the whole step: a note, no sends', () => {
    const facts = extract(
      commentWorkflow(
        'peter-evans/slash-command-dispatch@v4',
        `          token: \${{ secrets.PAT }}
          config: '[{"command": "a"}, {"command": "b", "dispatch_type": "workflows"}]'
`,
      ),
    );
    expect(facts.sends).toEqual([]);
    expect(facts.notes.map((note) => note.message)).toEqual([
      "'workflows' is not a valid 'dispatch_type' for peter-evans/slash-command-dispatch (repository, workflow), so the step fails before it dispatches anything",
    ]);
  });

  it('config-from-file: read in the scanned repository; where it cannot be read, a note and no guess', () => {
    const text = commentWorkflow(
      'peter-evans/slash-command-dispatch@v4',
      `          token: \${{ secrets.PAT }}
          config-from-file: ./.github/commands.json
`,
    );
    const files: RepositoryFiles = { read: (repo, path) => (repo === 'acme/app' && path === './.github/commands.json' ? '[{"command": "ship", "repository": "acme/ops"}]' : undefined) };
    const read = extract(text, files);
    expect(read.sends.map((send) => [send.target.value, named(send), at(send)])).toEqual([['acme/ops', 'ship-command', '11:29']]);

    const unread = extract(text);
    expect(unread.sends).toEqual([]);
    expect(unread.opaqueScripts).toHaveLength(1);
    expect(unread.unreadSends?.map((note) => note.message)).toEqual([
      "the slash commands this step dispatches are configured in './.github/commands.json', and dispatch-lint was not given the repository's other files, so they are not checked",
    ]);
  });

  it('commands only known at run time leave the event type unresolved', () => {
    const facts = extract(
      commentWorkflow(
        'peter-evans/slash-command-dispatch@v4',
        `          token: \${{ secrets.PAT }}
          commands: \${{ steps.list.outputs.commands }}
`,
      ),
    );
    expect(facts.sends.map((send) => [send.eventType?.text, send.eventType?.value])).toEqual([['${{ steps.list.outputs.commands }}-command', undefined]]);
  });
});

describe('octokit/request-action', () => {
  const step = (withLines: string, env = '') => `on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: octokit/request-action@v2.x
        with:
${withLines}${env}`;

  it('a dispatch route with its placeholders filled from the inputs, a YAML payload, the env token', () => {
    const facts = extract(
      step(
        `          route: POST /repos/{owner}/{repo}/dispatches
          owner: \${{ github.repository_owner }}
          repo: infra
          event_type: deployed
          client_payload: |
            version: \${{ github.ref_name }}
            dry_run: false
            meta:
              attempt: 2
`,
        `        env:
          GITHUB_TOKEN: \${{ secrets.DISPATCH }}
`,
      ),
    );
    const [send] = facts.sends;
    expect([send?.kind, send?.form, send?.target.value, named(send), at(send)]).toEqual(['repository_dispatch', 'octokit/request-action@v2.x', 'acme/infra', 'deployed', '11:23']);
    expect(send?.token).toMatchObject({ kind: 'secret', name: 'DISPATCH' });
    expect(fieldsOf(send?.payload)).toEqual(['version:unknown', 'dry_run:boolean=false', 'meta:object', 'meta.attempt:number=2']);
    expect(send?.payload.kind === 'object' && send.payload.fields.map((field) => `${field.position.line}:${field.position.column}`)).toEqual(['13:13', '14:13', '15:13', '16:15']);
  });

  it('workflow routes: {repository} as owner/name, a full URL, a literal workflow; the token given with:', () => {
    const facts = extract(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: octokit/request-action@v2
        with:
          route: POST /repos/{repository}/actions/workflows/{workflow_id}/dispatches
          repository: acme/docs
          workflow_id: publish.yml
          ref: main
          inputs: '{"channel": "beta"}'
          github_token: \${{ secrets.DOCS_TOKEN }}
      - uses: chainguard-actions/octokit-request-action@v3.0.0
        with:
          route: POST https://github.example.com/api/v3/repos/\${{ github.repository }}/actions/workflows/ci.yml/dispatches
          ref: main
        env:
          GITHUB_TOKEN: \${{ github.token }}
`);
    expect(facts.sends.map((send) => [send.kind, send.target.value, named(send), send.ref?.value, send.token.kind])).toEqual([
      ['workflow_dispatch', 'acme/docs', 'publish.yml', 'main', 'secret'],
      ['workflow_dispatch', 'acme/app', 'ci.yml', 'main', 'github-token'],
    ]);
    expect(fieldsOf(facts.sends[0]?.payload)).toEqual(['channel:string=beta']);
  });

  it('other requests are not sends; a legacy :owner route or a missing placeholder stays unresolved', () => {
    const facts = extract(
      step(`          route: GET /repos/{owner}/{repo}/dispatches
          owner: acme
      - uses: octokit/request-action@v2.x
        with:
          route: POST /repos/acme/app/issues
      - uses: octokit/request-action@v2.x
        with:
          route: POST /repos/:owner/:repo/dispatches
          event_type: a
      - uses: octokit/request-action@v2.x
        with:
          route: POST /repos/{owner}/app/dispatches
          event_type: b
`),
    );
    expect(facts.sends.map((send) => [send.target.text, send.target.value, named(send)])).toEqual([
      [':owner/:repo', undefined, 'a'],
      ['{owner}/app', undefined, 'b'],
    ]);
    expect(facts.sends[0]?.token).toMatchObject({ kind: 'missing' });
  });

  it('a payload that YAML reads as a string is not an object', () => {
    const facts = extract(
      step(`          route: POST /repos/acme/ops/dispatches
          event_type: go
          client_payload: just text
`),
    );
    expect(facts.sends[0]?.payload).toMatchObject({ kind: 'not-object', reason: 'it is the YAML string "just text", not an object' });
  });
});

describe('drop-in forks', () => {
  it('every alias maps to an upstream the extractor handles', () => {
    for (const alias of ACTION_ALIASES) {
      const uses = `${alias.fork}@v1`;
      expect(actionOf(uses)?.action).toBe(alias.upstream);
      const handled = findActionSender(uses) !== undefined || isGithubScript(uses) || isSlashCommandDispatch(uses) || isRequestAction(uses) || isAppTokenAction(uses);
      expect(handled, alias.fork).toBe(true);
    }
    expect(actionOf('Step-Security/Repository-Dispatch@v4')?.action).toBe('peter-evans/repository-dispatch');
    expect(actionOf('./.github/actions/dispatch')).toBeUndefined();
  });

  it('a fork keeps its own name in messages and its upstream defaults', () => {
    const facts = extract(`on: push
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: step-security/repository-dispatch@v4
        with:
          event-type: go
      - uses: chainguard-actions/actions-github-script@v7
        with:
          script: |
            await github.rest.repos.createDispatchEvent({ owner: 'acme', repo: 'ops', event_type: 'ship' })
`);
    expect(facts.sends.map((send) => [send.form, send.target.value, named(send), send.token.kind])).toEqual([
      ['step-security/repository-dispatch@v4', 'acme/app', 'go', 'github-token'],
      ['chainguard-actions/actions-github-script@v7', 'acme/ops', 'ship', 'github-token'],
    ]);
  });
});
