/**
 * Ordinary workflows with no dispatch wiring: CI, lint, release, CodeQL, containers, housekeeping. They are most
 * of any real organisation's workflow files, so they are most of the linter's work: it must read them all to
 * learn that they neither send nor receive anything.
 */
import { claimFileName } from './repos.js';
import {
  buildJob, changesJob, codeqlJob, dependabotJob, dockerJob, e2eJob, hygieneJob, lintJob, packageTestJob, pagesJobs,
  releaseJob, slackNotifyJob, staleJob, terraformJob, testJob,
} from './steps.js';
import { expr, flowList, workflowFile } from './yaml-text.js';

const MIN_LINES = 30;
const MAX_LINES = 200;

/** Which kind of everyday workflow to write, by language: a Go service has no Pages site, docs have no tests. */
function kindWeights(language) {
  const common = { codeql: 6, docker: 7, dependabot: 4, stale: 4, hygiene: 8, nightly: 5 };
  switch (language) {
    case 'terraform':
      return { ...common, terraform: 30, lint: 8, docker: 2, codeql: 2 };
    case 'docs':
      return { ...common, ci: 20, pages: 15, lint: 8, docker: 1 };
    default:
      return { ...common, ci: 35, lint: 8, release: 8, e2e: language === 'node' || language === 'python' ? 5 : 0, pages: 2 };
  }
}

/** File names people give each kind of workflow; a repository with many gets `ci.yml`, `ci-2.yml`, ... */
const FILE_NAMES = {
  ci: ['ci', 'ci', 'test', 'build', 'main', 'pull-request'],
  lint: ['lint', 'lint', 'static-checks', 'format'],
  release: ['release', 'release', 'publish'],
  codeql: ['codeql', 'codeql-analysis'],
  docker: ['docker', 'docker-publish', 'container'],
  dependabot: ['dependabot-auto-merge', 'auto-merge'],
  stale: ['stale'],
  hygiene: ['labeler', 'pr-checks', 'housekeeping', 'spelling'],
  nightly: ['nightly', 'scheduled', 'cron-checks'],
  e2e: ['e2e', 'integration'],
  pages: ['pages', 'docs'],
  terraform: ['terraform', 'terraform-plan', 'infra', 'plan'],
};

/** Writes one noise workflow into the repository; returns its file name and text. */
export function generateNoiseWorkflow(rng, repo) {
  const kind = rng.weighted(kindWeights(repo.language));
  const fileName = claimFileName(repo, rng.pick(FILE_NAMES[kind]));
  return { fileName, text: renderNoise(rng, kind, repo.language) };
}

function renderNoise(rng, kind, language) {
  const spec = NOISE_KINDS[kind](rng, language);
  let jobs = spec.jobs;
  // Keep files in the 30–200 line range real workflows mostly fall in: pad short ones with a job people add
  // anyway (a failure notice), and drop trailing jobs from long ones.
  let text = workflowFile({ ...spec, jobs });
  while (lineCount(text) < MIN_LINES) {
    jobs = [...jobs, rng.chance(0.5) ? slackNotifyJob(rng, flowList(jobIds(jobs))) : hygieneJob(rng)];
    text = workflowFile({ ...spec, jobs });
  }
  while (lineCount(text) > MAX_LINES && jobs.length > 1) {
    jobs = jobs.slice(0, -1);
    text = workflowFile({ ...spec, jobs });
  }
  return text;
}

function lineCount(text) {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function jobIds(jobs) {
  return jobs.map((lines) => lines.find((line) => /^[a-z][\w-]*:$/.test(line)).slice(0, -1));
}

const PACKAGES = ['api', 'web', 'worker', 'shared', 'cli', 'admin', 'sdk', 'jobs'];

/** A monorepo's CI: a paths filter, then one test job per package. */
function monorepoJobs(rng, language) {
  const packages = rng.sample(PACKAGES, rng.int(3, 7));
  return [changesJob(rng, packages), ...packages.map((name) => packageTestJob(rng, language, name))];
}

/** The usual push / pull_request trigger, often with a bare `workflow_dispatch:` so it can be run by hand. */
export function ciTriggers(rng, { manual = rng.chance(0.45), paths = rng.chance(0.3) } = {}) {
  const branches = rng.pick([['main'], ['main'], ['main', 'release/**'], ['master']]);
  return [
    'push:',
    `  branches: ${flowList(branches).raw}`,
    ...(paths ? ['  paths-ignore:', "    - '**.md'", "    - 'docs/**'"] : []),
    'pull_request:',
    ...(rng.chance(0.5) ? [`  branches: ${flowList(branches).raw}`] : []),
    ...(manual ? ['workflow_dispatch:'] : []),
  ];
}

function scheduleTrigger(rng, manual = true) {
  const minute = rng.int(0, 59);
  const hour = rng.int(0, 23);
  return [
    'schedule:',
    '  # Off the hour: scheduled runs at minute 0 queue behind everyone else.',
    `  - cron: '${minute} ${hour} * * ${rng.pick(['*', '1-5', '1'])}'`,
    ...(manual ? ['workflow_dispatch:'] : []),
  ];
}

function concurrency(rng) {
  return rng.chance(0.4)
    ? [['group', `${expr('github.workflow')}-${expr('github.ref')}`], ['cancel-in-progress', true]]
    : undefined;
}

const NOISE_KINDS = {
  ci(rng, language) {
    const jobs = rng.chance(0.15) ? monorepoJobs(rng, language) : [testJob(rng, language)];
    if (rng.chance(0.6)) jobs.unshift(lintJob(rng, language));
    if (rng.chance(0.4)) jobs.push(buildJob(rng, language));
    if (rng.chance(0.2)) jobs.push(e2eJob(rng, language));
    if (rng.chance(0.15)) jobs.push(dockerJob(rng));
    return {
      comments: rng.chance(0.4) ? ['Runs on every push to main and on pull requests.'] : [],
      name: rng.pick(['CI', 'CI', 'Tests', 'Build and test']),
      on: ciTriggers(rng),
      permissions: rng.chance(0.5) ? [['contents', 'read']] : undefined,
      concurrency: concurrency(rng),
      jobs,
    };
  },
  lint(rng, language) {
    return { name: 'Lint', on: ciTriggers(rng), permissions: [['contents', 'read']], jobs: [lintJob(rng, language)] };
  },
  release(rng, language) {
    const manualVersion = rng.chance(0.3);
    const on = manualVersion
      ? [
          // A hand-run release that asks for its version: a workflow_dispatch with inputs that nothing sends.
          'workflow_dispatch:',
          '  inputs:',
          '    version:',
          '      description: Version to release, without the leading v',
          '      required: true',
          '      type: string',
          '    prerelease:',
          '      type: boolean',
          '      default: false',
        ]
      : ['push:', '  tags:', "    - 'v*'", ...(rng.chance(0.4) ? ['workflow_dispatch:'] : [])];
    return {
      comments: ['Publishes a release when a version tag is pushed.', 'The tag must match the version in the package manifest.'],
      name: 'Release',
      runName: manualVersion ? `Release v${expr('inputs.version')}` : undefined,
      on,
      permissions: [['contents', 'write']],
      jobs: [buildJob(rng, language), releaseJob(rng, language)],
    };
  },
  codeql(rng, language) {
    return {
      comments: ['CodeQL code scanning. Set up from the GitHub template, then trimmed.'],
      name: 'CodeQL',
      on: [...ciTriggers(rng, { paths: false }), ...scheduleTrigger(rng, false)],
      jobs: [codeqlJob(rng, language)],
    };
  },
  docker(rng, language) {
    const jobs = [dockerJob(rng)];
    if (rng.chance(0.4)) jobs.unshift(testJob(rng, language === 'terraform' || language === 'docs' ? 'node' : language));
    return {
      name: rng.pick(['Docker', 'Container image', 'Publish image']),
      on: [...ciTriggers(rng), ...(rng.chance(0.3) ? ['release:', '  types: [published]'] : [])],
      env: [['REGISTRY', 'ghcr.io'], ['IMAGE_NAME', expr('github.repository')]],
      jobs,
    };
  },
  dependabot() {
    return {
      comments: ['Approves and auto-merges patch updates from Dependabot once checks pass.'],
      name: 'Dependabot auto-merge',
      on: ['pull_request_target:', '  types: [opened, synchronize, reopened]'],
      permissions: [['contents', 'read']],
      jobs: [dependabotJob()],
    };
  },
  stale(rng) {
    return {
      name: 'Close stale issues',
      on: scheduleTrigger(rng, rng.chance(0.6)),
      jobs: [staleJob(rng), hygieneJob(rng)],
    };
  },
  hygiene(rng) {
    return {
      name: rng.pick(['PR checks', 'Housekeeping', 'Labeler']),
      on: ['pull_request_target:', '  types: [opened, edited, synchronize, closed]', ...(rng.chance(0.3) ? ['workflow_dispatch:'] : [])],
      jobs: [hygieneJob(rng), hygieneJob(rng)],
    };
  },
  nightly(rng, language) {
    const testLanguage = language === 'terraform' || language === 'docs' ? 'node' : language;
    return {
      comments: ['Nightly run against the latest dependencies, to hear about breakage before users do.'],
      name: 'Nightly',
      on: scheduleTrigger(rng, true),
      env: [['CI_NIGHTLY', '1']],
      jobs: [testJob(rng, testLanguage), slackNotifyJob(rng, 'test')],
    };
  },
  e2e(rng, language) {
    return {
      name: 'End-to-end',
      on: ciTriggers(rng),
      concurrency: concurrency(rng),
      jobs: [e2eJob(rng, language)],
    };
  },
  pages(rng) {
    return {
      name: 'Deploy docs to Pages',
      on: ['push:', '  branches: [main]', "  paths: ['docs/**', 'mkdocs.yml', 'package.json']", 'workflow_dispatch:'],
      permissions: [['contents', 'read'], ['pages', 'write'], ['id-token', 'write']],
      concurrency: [['group', 'pages'], ['cancel-in-progress', false]],
      jobs: pagesJobs(rng),
    };
  },
  terraform(rng) {
    const jobs = [terraformJob(rng)];
    if (rng.chance(0.5)) jobs.push(terraformJob(rng, { apply: true }));
    return {
      comments: ['Plans on pull requests; applies on main after review.', 'State lives in S3; credentials come from OIDC, not long-lived keys.'],
      name: 'Terraform',
      on: ciTriggers(rng, { paths: false }),
      permissions: [['contents', 'read']],
      defaults: [['run', [['shell', 'bash']]]],
      jobs,
    };
  },
};
