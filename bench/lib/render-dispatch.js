/**
 * Turns the wiring plan (wiring.js) into workflow files. Every way of sending the linter is meant to read is
 * here: peter-evans/repository-dispatch, `gh api .../dispatches`, `gh workflow run`, curl, benc-uk/workflow-dispatch,
 * actions/github-script, and matrix or shell-loop fan-outs. Listeners read their payload the ways people do:
 * step env, `if:`, `run-name:`, `environment:`, and `context.payload` inside github-script.
 */
import { buildJob, checkout, lintJob, setupToolchain, slackNotifyJob } from './steps.js';
import { block, expr, flowList, job, step, workflowFile } from './yaml-text.js';

const MIN_LINES = 30;

/** @param {ReturnType<import('./random.js').createRandom>} rng */
export function renderDispatchWorkflow(rng, workflow) {
  const spec = workflow.role === 'head' ? headSpec(rng, workflow) : listenerSpec(rng, workflow);
  // Short files get the everyday jobs real ones have; the dispatch parts stay as planned.
  let text = workflowFile(spec);
  while (text.split('\n').length - 1 < MIN_LINES) {
    spec.jobs = [...spec.jobs, rng.chance(0.5) ? lintJob(rng, toolchainOf(workflow)) : slackNotifyJob(rng, jobIdOf(spec.jobs[0]))];
    text = workflowFile(spec);
  }
  return text;
}

function toolchainOf(workflow) {
  return workflow.repo.language === 'docs' ? 'node' : workflow.repo.language;
}

function jobIdOf(jobLines) {
  return jobLines.find((line) => /^[a-z][\w-]*:$/.test(line)).slice(0, -1);
}

// ---------------------------------------------------------------------------------------------------------------
// Senders that start a chain: build, then tell others

function headSpec(rng, workflow) {
  const language = toolchainOf(workflow);
  const fanOuts = workflow.sends.filter((send) => send.targets);
  const plain = workflow.sends.filter((send) => !send.targets);
  const jobs = [buildJob(rng, language, { withVersionOutput: true })];
  if (plain.length) {
    jobs.push(
      job(rng.pick(['notify', 'dispatch', 'trigger-downstream']), {
        needs: 'build',
        ifExpr: workflow.trigger === 'main' && rng.chance(0.3) ? "github.ref == 'refs/heads/main'" : undefined,
        steps: sendSteps(rng, plain, workflow),
      }),
    );
  }
  for (const send of fanOuts) jobs.push(fanOutJob(rng, send));
  return {
    comments: headComments(rng, workflow),
    name: rng.pick(HEAD_NAMES[workflow.trigger]),
    on: headTrigger(rng, workflow.trigger),
    permissions: [['contents', 'read']],
    jobs,
  };
}

const HEAD_NAMES = {
  tag: ['Release', 'Publish', 'Release and notify'],
  release: ['Publish', 'On release', 'Release'],
  main: ['Post-merge', 'Build and notify', 'Notify downstream', 'Main'],
  schedule: ['Nightly sync', 'Scheduled refresh', 'Nightly'],
};

function headTrigger(rng, trigger) {
  const manual = rng.chance(0.4) ? ['workflow_dispatch:'] : [];
  switch (trigger) {
    case 'tag':
      return ['push:', '  tags:', "    - 'v*.*.*'", ...manual];
    case 'release':
      return ['release:', '  types: [published]', ...manual];
    case 'schedule':
      return ['schedule:', `  - cron: '${rng.int(0, 59)} ${rng.int(0, 23)} * * 1-5'`, 'workflow_dispatch:'];
    default:
      return ['push:', '  branches: [main]', ...(rng.chance(0.3) ? ['  paths:', "    - 'src/**'", "    - 'schema/**'"] : []), ...manual];
  }
}

function headComments(rng, workflow) {
  const targets = workflow.sends.flatMap((send) => send.targets ?? (send.target ? [send.target.repo] : [workflow.repo.name]));
  return rng.pick([
    ['Builds, then tells the repositories that depend on this one.', `Downstream: ${[...new Set(targets)].join(', ')}`],
    ['Release pipeline. The dispatch step needs a token that can reach the other repositories;', 'GITHUB_TOKEN only covers this one.'],
    [],
  ]);
}

function fanOutJob(rng, send) {
  const token = tokenText(send.token);
  const appStep = send.token.kind === 'app' ? [appTokenStep()] : [];
  if (send.form === 'matrix') {
    return job('fan-out', {
      name: `Notify ${expr('matrix.target')}`,
      needs: 'build',
      strategy: ['fail-fast: false', 'matrix:', '  target:', ...send.targets.map((target) => `    - ${target}`)],
      steps: [
        ...appStep,
        step({
          uses: 'peter-evans/repository-dispatch@v3',
          withPairs: [
            ['token', token],
            ['repository', `${expr('github.repository_owner')}/${expr('matrix.target')}`],
            ['event-type', send.eventType],
            ['client-payload', payloadJson(rng, send.fields)],
          ],
        }),
      ],
    });
  }
  if (send.form === 'shell-loop') {
    return job('fan-out', {
      needs: 'build',
      steps: [
        ...appStep,
        step({
          name: 'Tell every consumer',
          env: [['GH_TOKEN', token ?? expr('github.token')]],
          run: [
            `for repo in ${send.targets.join(' ')}; do`,
            `  gh api "repos/${expr('github.repository_owner')}/$repo/dispatches" \\`,
            `    -f event_type=${send.eventType} \\`,
            ...ghFieldFlags(send.fields, 'client_payload', '"').map((flag, i, all) => `    ${flag}${i < all.length - 1 ? ' \\' : ''}`),
            'done',
          ],
        }),
      ],
    });
  }
  // One step per target: what a fan-out looks like before someone turns it into a matrix.
  return job('notify-consumers', {
    needs: 'build',
    steps: [
      ...appStep,
      ...send.targets.map((target) =>
        peterEvansStep(rng, { ...send, form: 'peter-evans@v3', target: { owner: send.owner, repo: target, style: rng.chance(0.5) ? 'literal' : 'owner-expression' } }),
      ),
    ],
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Listeners (and relays, which listen and then send on)

function listenerSpec(rng, workflow) {
  const { listen } = workflow;
  const readExpression = readExpressionFor(rng, listen.kind);
  const reads = workflow.reads;
  const mainJob = job(listen.kind === 'wd' ? mainJobIdFor(listen.purpose) : rng.pick(['deploy', 'handle', 'update', 'sync']), {
    environment: reads.includes('environment') && rng.chance(0.5) ? readExpression('environment') : undefined,
    timeout: rng.pick([undefined, 20, 30]),
    steps: listenerSteps(rng, workflow, readExpression),
  });
  return {
    comments: listenerComments(rng, workflow),
    name: listenerName(workflow),
    runName: reads.includes('version') && rng.chance(0.4) ? `${listenerName(workflow)} ${readExpression('version')}` : undefined,
    on: listen.kind === 'rd' ? repositoryDispatchTrigger(rng, workflow) : workflowDispatchTrigger(listen.inputs),
    permissions: [['contents', 'read']],
    concurrency: rng.chance(0.3) ? [['group', `${workflow.fileName.replace('.yml', '')}-${expr('github.ref')}`], ['cancel-in-progress', false]] : undefined,
    jobs: [mainJob],
  };
}

function mainJobIdFor(purpose) {
  return { deploy: 'deploy', migrate: 'migrate', e2e: 'e2e', publish: 'publish', sync: 'sync', docs: 'docs' }[purpose];
}

function listenerName(workflow) {
  if (workflow.listen.kind === 'wd') {
    return { deploy: 'Deploy', migrate: 'Run migrations', e2e: 'Remote E2E', publish: 'Publish', sync: 'Sync from upstream', docs: 'Rebuild docs' }[workflow.listen.purpose];
  }
  return `On ${workflow.listen.types[0]}`;
}

function listenerComments(rng, workflow) {
  if (workflow.externalSender) return ['Triggered from outside GitHub Actions (a webhook bridge), not by another repository.'];
  if (workflow.listen.kind === 'wd') return rng.chance(0.5) ? ['Run by hand or by other repositories with `gh workflow run`.'] : [];
  return rng.pick([['Triggered by repository_dispatch from other repositories in the org.'], ['Keep the event types in sync with the sending workflows.'], []]);
}

function repositoryDispatchTrigger(rng, workflow) {
  const { types } = workflow.listen;
  const typeLines = rng.chance(0.6) ? [`  types: ${flowList(types).raw}`] : ['  types:', ...types.map((type) => `    - ${type}`)];
  return ['repository_dispatch:', ...typeLines, ...(workflow.alsoManual ? ['workflow_dispatch:'] : [])];
}

function workflowDispatchTrigger(inputs) {
  const lines = ['workflow_dispatch:', '  inputs:'];
  for (const input of inputs) {
    lines.push(`    ${input.name}:`, `      description: ${describeInput(input.name)}`);
    if (input.required) lines.push('      required: true');
    lines.push(`      type: ${input.type}`);
    if (input.options) lines.push('      options:', ...input.options.map((option) => `        - ${option}`));
    if (input.default !== undefined) lines.push(`      default: ${input.default}`);
  }
  return lines;
}

function describeInput(name) {
  return {
    environment: 'Where to deploy',
    version: 'Version to deploy (without the leading v)',
    dry_run: 'Plan only, change nothing',
    target: 'Migration to run up to',
    target_url: 'Base URL of the deployment under test',
    suite: 'Which tests to run',
    prerelease: 'Mark the release as a pre-release',
    source_sha: 'Upstream commit to sync from',
    source_repo: 'Upstream repository (owner/name)',
    docs_ref: 'Ref of the docs sources to build',
  }[name];
}

/** How this listener spells a read of field or input `name`. */
function readExpressionFor(rng, kind) {
  if (kind === 'rd') return (path) => expr(`github.event.client_payload.${path}`);
  const prefix = rng.chance(0.7) ? 'inputs' : 'github.event.inputs';
  return (name) => expr(`${prefix}.${name}`);
}

function listenerSteps(rng, workflow, readExpression) {
  const { reads } = workflow;
  const steps = [checkout(rng), ...setupToolchain(rng, toolchainOf(workflow))];
  if (workflow.sends.length) steps.push(metaStep());
  const envReads = reads.filter((name) => name !== 'dry_run');
  const scriptRead = workflow.listen.kind === 'rd' && envReads.length > 1 && rng.chance(0.2) ? envReads.pop() : undefined;
  steps.push(
    step({
      name: workStepName(workflow),
      ifExpr: reads.includes('dry_run') ? (workflow.listen.kind === 'rd' ? '!github.event.client_payload.dry_run' : '!inputs.dry_run') : undefined,
      env: envReads.length ? envReads.map((name) => [envName(name), readExpression(name)]) : undefined,
      run: workCommands(rng, envReads),
    }),
  );
  if (scriptRead) steps.push(payloadScriptStep(scriptRead));
  if (workflow.sends.length) steps.push(...sendSteps(rng, workflow.sends, workflow));
  return steps;
}

function workStepName(workflow) {
  if (workflow.listen.kind === 'wd') return { deploy: 'Deploy', migrate: 'Migrate', e2e: 'Run the suite', publish: 'Publish', sync: 'Sync', docs: 'Build the docs' }[workflow.listen.purpose];
  return 'Handle the event';
}

function workCommands(rng, envReads) {
  const variables = envReads.map((name) => `"$${envName(name)}"`).join(' ');
  const script = rng.pick(['./scripts/deploy.sh', './scripts/update.sh', 'make release', './ci/handle-dispatch.sh']);
  return [
    `echo "Triggered by ${expr('github.event_name')} from ${expr('github.actor')}"`,
    `${script}${variables ? ` ${variables}` : ''}`,
  ];
}

/** A read inside github-script, which the linter has to find in JavaScript rather than in `${{ }}`. */
function payloadScriptStep(path) {
  return step({
    name: 'Record the upstream change',
    uses: 'actions/github-script@v7',
    withPairs: [
      [
        'script',
        block([
          `const value = context.payload.client_payload.${path};`,
          `core.summary.addHeading('Upstream change').addRaw(\`${path}: \${value}\`);`,
          'await core.summary.write();',
        ]),
      ],
    ],
  });
}

/** A relay has no build job; it reads the version it will pass on from the repository. */
function metaStep() {
  return step({ name: 'Read the version', id: 'meta', run: 'echo "version=$(cat VERSION)" >> "$GITHUB_OUTPUT"' });
}

function envName(path) {
  return path.replaceAll('.', '_').toUpperCase();
}

// ---------------------------------------------------------------------------------------------------------------
// Sends

function sendSteps(rng, sends, workflow) {
  const needsAppToken = sends.some((send) => send.token.kind === 'app');
  return [...(needsAppToken ? [appTokenStep()] : []), ...sends.map((send) => sendStep(rng, send, workflow))];
}

function appTokenStep() {
  return step({
    name: 'Mint a token for the organisation',
    id: 'app-token',
    uses: 'actions/create-github-app-token@v1',
    withPairs: [['app-id', expr('vars.DISPATCH_APP_ID')], ['private-key', expr('secrets.DISPATCH_APP_PRIVATE_KEY')], ['owner', expr('github.repository_owner')]],
  });
}

function sendStep(rng, send, workflow) {
  switch (send.form) {
    case 'peter-evans@v3':
    case 'peter-evans@v4':
      return peterEvansStep(rng, send);
    case 'gh-api':
      return send.kind === 'rd' ? ghApiDispatchStep(rng, send) : ghApiWorkflowStep(send);
    case 'curl':
      return curlStep(rng, send);
    case 'github-script':
      return send.kind === 'rd' ? scriptDispatchStep(rng, send) : scriptWorkflowStep(send);
    case 'gh-workflow-run':
      return ghWorkflowRunStep(rng, send);
    case 'benc-uk':
      return bencUkStep(send);
    default:
      throw new Error(`no renderer for send form ${send.form} in ${workflow.fileName}`);
  }
}

function peterEvansStep(rng, send) {
  return step({
    name: send.target ? `Notify ${send.target.repo}` : 'Dispatch to this repository',
    uses: `peter-evans/repository-dispatch@${send.form.endsWith('v4') ? 'v4' : 'v3'}`,
    withPairs: [
      ['token', tokenText(send.token)],
      ['repository', send.target ? targetText(send.target) : undefined],
      ['event-type', send.eventType],
      ['client-payload', send.forwardWhole ? expr('toJson(github.event.client_payload)') : payloadJson(rng, send.fields)],
    ],
  });
}

function ghApiDispatchStep(rng, send) {
  const path = send.target ? `repos/${targetText(send.target)}/dispatches` : `repos/${expr('github.repository')}/dispatches`;
  const flags = [
    ...(rng.chance(0.3) ? ['--method POST'] : []),
    ...(rng.chance(0.3) ? ['-H "Accept: application/vnd.github+json"'] : []),
    `-f event_type=${send.eventType}`,
    ...ghFieldFlags(send.fields, 'client_payload', "'"),
  ];
  return step({
    name: send.target ? `Trigger ${send.target.repo}` : 'Trigger the follow-up workflow',
    env: [['GH_TOKEN', tokenText(send.token) ?? expr('github.token')]],
    run: continued(`gh api ${path}`, flags),
  });
}

/** `-f 'client_payload[source][sha]=…'` for strings, `-F` (typed) for booleans, as gh reads them. */
function ghFieldFlags(fields, root, quote) {
  return fields.map((field) => {
    const key = [root, ...field.path.split('.')].map((part, i) => (i ? `[${part}]` : part)).join('');
    return `${field.type === 'boolean' ? '-F' : '-f'} ${quote}${key}=${field.text}${quote}`;
  });
}

function curlStep(rng, send) {
  const body = JSON.stringify({ event_type: send.eventType, client_payload: payloadObject(send.fields) });
  const auth = rng.chance(0.7) ? 'Bearer' : 'token';
  return step({
    name: `Dispatch ${send.eventType}`,
    run: continued('curl -fsSL -X POST', [
      '-H "Accept: application/vnd.github+json"',
      `-H "Authorization: ${auth} ${tokenText(send.token)}"`,
      `https://api.github.com/repos/${targetText(send.target)}/dispatches`,
      `-d '${body}'`,
    ]),
  });
}

function scriptDispatchStep(rng, send) {
  return step({
    name: send.target ? `Tell ${send.target.repo}` : 'Dispatch to this repository',
    uses: rng.pick(['actions/github-script@v7', 'actions/github-script@v7', 'actions/github-script@v6']),
    withPairs: [
      ['github-token', tokenText(send.token)],
      [
        'script',
        block([
          'await github.rest.repos.createDispatchEvent({',
          ...scriptTargetLines(send.target),
          `  event_type: '${send.eventType}',`,
          ...jsObjectLines('client_payload', payloadObject(send.fields), 1),
          '});',
        ]),
      ],
    ],
  });
}

function ghWorkflowRunStep(rng, send) {
  const repoFlag = send.target ? [`${rng.pick(['-R', '--repo'])} ${targetText(send.target)}`] : [];
  const quote = rng.chance(0.5) ? '"' : '';
  return step({
    name: `Run ${send.workflowFile}${send.target ? ` in ${send.target.repo}` : ''}`,
    env: [['GH_TOKEN', tokenText(send.token) ?? expr('github.token')]],
    run: continued(`gh workflow run ${send.workflowFile}`, [
      ...repoFlag,
      `--ref ${send.ref}`,
      ...send.inputs.map((input) => `-f ${input.name}=${quote}${input.value}${quote}`),
    ]),
  });
}

function ghApiWorkflowStep(send) {
  return step({
    name: `Run ${send.workflowFile} in ${send.target.repo}`,
    env: [['GH_TOKEN', tokenText(send.token) ?? expr('github.token')]],
    run: continued(`gh api repos/${targetText(send.target)}/actions/workflows/${send.workflowFile}/dispatches`, [
      `-f ref=${send.ref}`,
      ...send.inputs.map((input) => `-f 'inputs[${input.name}]=${input.value}'`),
    ]),
  });
}

function bencUkStep(send) {
  const inputs = Object.fromEntries(send.inputs.map((input) => [input.name, input.value]));
  return step({
    name: `Trigger ${send.workflowFile} in ${send.target.repo}`,
    uses: 'benc-uk/workflow-dispatch@v1',
    withPairs: [
      ['workflow', send.workflowFile],
      ['repo', targetText(send.target)],
      ['ref', send.ref],
      ['token', tokenText(send.token)],
      ['inputs', send.inputs.length ? oneLineJson(inputs) : undefined],
    ],
  });
}

function scriptWorkflowStep(send) {
  const inputs = Object.fromEntries(send.inputs.map((input) => [input.name, input.value]));
  return step({
    name: `Start ${send.workflowFile}`,
    uses: 'actions/github-script@v7',
    withPairs: [
      ['github-token', tokenText(send.token)],
      [
        'script',
        block([
          'await github.rest.actions.createWorkflowDispatch({',
          ...scriptTargetLines(send.target),
          `  workflow_id: '${send.workflowFile}',`,
          `  ref: '${send.ref}',`,
          ...jsObjectLines('inputs', inputs, 1),
          '});',
        ]),
      ],
    ],
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Small formatters

/** A shell command continued over lines with `\`, as long commands in `run:` blocks are. */
function continued(command, flags) {
  if (flags.length === 0) return [command];
  return [`${command} \\`, ...flags.map((flag, i) => `  ${flag}${i < flags.length - 1 ? ' \\' : ''}`)];
}

function targetText(target) {
  const owner = target.style === 'literal' ? target.owner : expr('github.repository_owner');
  return `${owner}/${target.repo}`;
}

function scriptTargetLines(target) {
  if (!target) return ['  owner: context.repo.owner,', '  repo: context.repo.repo,'];
  const owner = target.style === 'literal' ? `'${target.owner}'` : 'context.repo.owner';
  return [`  owner: ${owner},`, `  repo: '${target.repo}',`];
}

function tokenText(token) {
  switch (token.kind) {
    case 'secret':
      return expr(`secrets.${token.name}`);
    case 'app':
      return expr('steps.app-token.outputs.token');
    case 'github-token':
      return expr('github.token');
    default:
      return undefined;
  }
}

/** Fields with dotted paths (`source.sha`) as a nested object. */
function payloadObject(fields) {
  const payload = {};
  for (const field of fields) {
    const parts = field.path.split('.');
    let node = payload;
    for (const part of parts.slice(0, -1)) node = node[part] ??= {};
    node[parts.at(-1)] = field.type === 'boolean' ? field.text === 'true' : field.text;
  }
  return payload;
}

/** client-payload as people write it: a `|` block of indented JSON, or one single-quoted line. */
function payloadJson(rng, fields) {
  const payload = payloadObject(fields);
  return rng.chance(0.6) ? block(JSON.stringify(payload, null, 2).split('\n')) : oneLineJson(payload);
}

function oneLineJson(value) {
  return JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ');
}

/** A JavaScript object literal property, `key: { ... },`, with single-quoted strings. */
function jsObjectLines(key, value, depth) {
  const pad = '  '.repeat(depth);
  if (typeof value !== 'object') return [`${pad}${key}: ${jsValue(value)},`];
  return [`${pad}${key}: {`, ...Object.entries(value).flatMap(([name, inner]) => jsObjectLines(name, inner, depth + 1)), `${pad}},`];
}

function jsValue(value) {
  if (typeof value === 'boolean') return String(value);
  if (value === expr('github.sha')) return 'context.sha';
  if (value === expr('github.ref')) return 'context.ref';
  return `'${value.replaceAll("'", "\\'")}'`;
}
