/**
 * Everyday steps and jobs, per language: the CI noise that surrounds dispatch wiring in a real organisation.
 * Each returns lines (see yaml-text.js). Versions and options vary a little, as they do across real repositories
 * that were set up at different times.
 */
import { block, expr, flowList, job, step } from './yaml-text.js';

export function checkout(rng, { fetchDepth, ref, repository } = {}) {
  const withPairs = [
    ['repository', repository],
    ['ref', ref],
    ['fetch-depth', fetchDepth],
  ].filter(([, value]) => value !== undefined);
  return step({
    name: rng.chance(0.3) ? 'Check out' : undefined,
    uses: rng.pick(['actions/checkout@v4', 'actions/checkout@v4', 'actions/checkout@v3']),
    withPairs: withPairs.length ? withPairs : undefined,
  });
}

/** The steps that set up a toolchain and install dependencies. */
export function setupToolchain(rng, language, version) {
  switch (language) {
    case 'python':
      return [
        step({
          name: 'Set up Python',
          uses: rng.pick(['actions/setup-python@v5', 'actions/setup-python@v4']),
          withPairs: [['python-version', version ?? rng.pick(['3.11', '3.12'])], ['cache', 'pip']],
        }),
        step({ name: 'Install dependencies', run: ['python -m pip install --upgrade pip', 'pip install -r requirements.txt -r requirements-dev.txt'] }),
      ];
    case 'go':
      return [
        step({
          uses: rng.pick(['actions/setup-go@v5', 'actions/setup-go@v4']),
          withPairs: version ? [['go-version', version]] : [['go-version-file', 'go.mod'], ['cache', true]],
        }),
        step({ name: 'Download modules', run: 'go mod download' }),
      ];
    case 'rust':
      return [
        step({ uses: 'dtolnay/rust-toolchain@stable', withPairs: [['components', 'clippy, rustfmt']] }),
        step({ uses: 'Swatinem/rust-cache@v2' }),
      ];
    case 'terraform':
      return [step({ uses: 'hashicorp/setup-terraform@v3', withPairs: [['terraform_version', rng.pick(['1.7.5', '1.8.2', '1.9.0'])]] })];
    default:
      return [
        step({
          name: 'Set up Node.js',
          uses: rng.pick(['actions/setup-node@v4', 'actions/setup-node@v4', 'actions/setup-node@v3']),
          withPairs: [['node-version', version ?? rng.pick([18, 20, 20, 22])], ['cache', rng.pick(['npm', 'npm', 'pnpm', 'yarn'])]],
        }),
        step({ run: 'npm ci' }),
      ];
  }
}

const TEST_COMMANDS = {
  node: [['npm test -- --coverage'], ['npm run test:unit', 'npm run test:integration']],
  python: [['pytest -q --cov=src --cov-report=xml'], ['pytest -n auto --maxfail=5']],
  go: [['go test -race -coverprofile=coverage.out ./...'], ['go test ./...', 'go vet ./...']],
  rust: [['cargo test --all-features --workspace'], ['cargo test --locked']],
  terraform: [['terraform init -backend=false', 'terraform validate']],
  docs: [['npm run build', 'npx linkinator ./build --recurse --skip "^https://github.com"']],
};

const LINT_COMMANDS = {
  node: ['npm run lint', 'npm run format:check', 'npx tsc --noEmit'],
  python: ['ruff check .', 'ruff format --check .', 'mypy src'],
  go: ['gofmt -l . | tee /dev/stderr | (! read)', 'go vet ./...'],
  rust: ['cargo fmt --all -- --check', 'cargo clippy --all-targets -- -D warnings'],
  terraform: ['terraform fmt -check -recursive', 'tflint --recursive'],
  docs: ['npx markdownlint-cli2 "**/*.md"', 'npx cspell "docs/**/*.md"'],
};

const BUILD_COMMANDS = {
  node: ['npm run build'],
  python: ['python -m build', 'twine check dist/*'],
  go: ['CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o dist/ ./cmd/...'],
  rust: ['cargo build --release --locked'],
  terraform: ['terraform init -input=false', 'terraform plan -input=false -out=tfplan'],
  docs: ['npm run build'],
};

const MATRIX_VERSIONS = {
  node: ['node-version', [18, 20, 22]],
  python: ['python-version', ['3.10', '3.11', '3.12']],
  go: ['go-version', ['1.21', '1.22', '1.23']],
  rust: ['toolchain', ['stable', 'beta']],
};

export function testJob(rng, language) {
  const matrix = MATRIX_VERSIONS[language];
  const useMatrix = matrix && rng.chance(0.6);
  const useOsMatrix = useMatrix && rng.chance(0.25);
  const strategy = useMatrix
    ? [
        ...(rng.chance(0.5) ? ['fail-fast: false'] : []),
        'matrix:',
        ...(useOsMatrix ? ['  os: [ubuntu-latest, macos-latest, windows-latest]'] : []),
        `  ${matrix[0]}: ${flowList(matrix[1]).raw}`,
      ]
    : undefined;
  const version = useMatrix ? expr(`matrix.${matrix[0]}`) : undefined;
  const steps = [
    checkout(rng),
    ...setupToolchain(rng, language, language === 'rust' ? undefined : version),
    step({ name: 'Run tests', run: rng.pick(TEST_COMMANDS[language]) }),
  ];
  if (rng.chance(0.35)) {
    steps.push(
      step({
        name: 'Upload coverage',
        uses: 'codecov/codecov-action@v4',
        withPairs: [['token', expr('secrets.CODECOV_TOKEN')], ['fail_ci_if_error', false]],
      }),
    );
  }
  return job('test', {
    name: useMatrix ? `Test (${expr(`matrix.${matrix[0]}`)})` : 'Test',
    runsOn: useOsMatrix ? expr('matrix.os') : 'ubuntu-latest',
    timeout: rng.pick([undefined, 15, 20, 30]),
    strategy,
    steps,
  });
}

export function lintJob(rng, language) {
  const commands = LINT_COMMANDS[language];
  return job('lint', {
    name: 'Lint',
    steps: [
      checkout(rng),
      ...setupToolchain(rng, language),
      ...commands.slice(0, rng.int(1, commands.length)).map((command) => step({ run: command })),
    ],
  });
}

export function buildJob(rng, language, { withVersionOutput = false } = {}) {
  const steps = [checkout(rng, { fetchDepth: withVersionOutput ? 0 : undefined }), ...setupToolchain(rng, language)];
  if (withVersionOutput) steps.push(versionStep());
  steps.push(step({ name: 'Build', run: BUILD_COMMANDS[language] }));
  if (rng.chance(0.5)) {
    steps.push(
      step({
        name: 'Upload build output',
        uses: 'actions/upload-artifact@v4',
        withPairs: [['name', 'dist'], ['path', 'dist/'], ['retention-days', rng.pick([3, 7, 14])]],
      }),
    );
  }
  return job('build', {
    name: 'Build',
    outputs: withVersionOutput ? [['version', expr('steps.version.outputs.version')]] : undefined,
    steps,
  });
}

/** Works the release version out of the tag or the commit, as most release workflows do in a shell step. */
export function versionStep() {
  return step({
    name: 'Work out the version',
    id: 'version',
    run: [
      'if [[ "$GITHUB_REF" == refs/tags/v* ]]; then',
      '  version="${GITHUB_REF_NAME#v}"',
      'else',
      '  version="0.0.0-${GITHUB_SHA::7}"',
      'fi',
      'echo "version=$version" >> "$GITHUB_OUTPUT"',
    ],
  });
}

/** Monorepo CI: which packages changed, so each package's tests run only when they need to. */
export function changesJob(rng, packages) {
  return job('changes', {
    comment: ['Work out which packages changed; the jobs below skip the rest.'],
    outputs: packages.map((name) => [name, expr(`steps.filter.outputs.${name}`)]),
    steps: [
      checkout(rng),
      step({
        uses: 'dorny/paths-filter@v3',
        id: 'filter',
        withPairs: [['filters', block(packages.flatMap((name) => [`${name}:`, `  - 'packages/${name}/**'`, "  - 'package-lock.json'"]))]],
      }),
    ],
  });
}

export function packageTestJob(rng, language, name) {
  return job(`test-${name}`, {
    name: `Test ${name}`,
    needs: 'changes',
    ifExpr: `needs.changes.outputs.${name} == 'true'`,
    steps: [
      checkout(rng),
      ...setupToolchain(rng, language),
      step({ name: 'Run tests', workingDirectory: `packages/${name}`, run: rng.pick(TEST_COMMANDS[language]) }),
    ],
  });
}

export function e2eJob(rng, language) {
  const services = [
    'postgres:',
    `  image: postgres:${rng.pick([14, 15, 16])}`,
    '  env:',
    '    POSTGRES_PASSWORD: postgres',
    '    POSTGRES_DB: app_test',
    '  ports:',
    "    - '5432:5432'",
    '  options: >-',
    '    --health-cmd pg_isready',
    '    --health-interval 10s',
    '    --health-timeout 5s',
    '    --health-retries 5',
  ];
  return job('e2e', {
    name: 'End-to-end tests',
    timeout: 30,
    services,
    env: [['DATABASE_URL', 'postgres://postgres:postgres@localhost:5432/app_test']],
    steps: [
      checkout(rng),
      ...setupToolchain(rng, language === 'node' || language === 'python' ? language : 'node'),
      step({ name: 'Install browsers', run: 'npx playwright install --with-deps chromium' }),
      step({ name: 'Run end-to-end tests', run: 'npx playwright test --reporter=line' }),
      step({
        name: 'Keep the report',
        ifExpr: 'failure()',
        uses: 'actions/upload-artifact@v4',
        withPairs: [['name', 'playwright-report'], ['path', 'playwright-report/']],
      }),
    ],
  });
}

export function codeqlJob(rng, language) {
  const codeqlLanguage = { node: 'javascript-typescript', python: 'python', go: 'go', rust: 'rust' }[language] ?? 'javascript-typescript';
  const languages = rng.chance(0.3) ? [codeqlLanguage, 'actions'] : [codeqlLanguage];
  return job('analyze', {
    name: `Analyze (${expr('matrix.language')})`,
    permissions: [['actions', 'read'], ['contents', 'read'], ['security-events', 'write']],
    strategy: ['fail-fast: false', 'matrix:', `  language: ${flowList(languages).raw}`],
    steps: [
      checkout(rng),
      step({
        name: 'Initialize CodeQL',
        uses: 'github/codeql-action/init@v3',
        withPairs: [['languages', expr('matrix.language')], ['queries', rng.pick(['security-extended', 'security-and-quality'])]],
      }),
      ...(language === 'go' ? [step({ name: 'Autobuild', uses: 'github/codeql-action/autobuild@v3' })] : []),
      step({
        name: 'Perform CodeQL Analysis',
        uses: 'github/codeql-action/analyze@v3',
        withPairs: [['category', `/language:${expr('matrix.language')}`]],
      }),
    ],
  });
}

export function dockerJob(rng, { push = true } = {}) {
  return job('image', {
    name: 'Container image',
    permissions: [['contents', 'read'], ['packages', 'write']],
    steps: [
      checkout(rng),
      step({ uses: 'docker/setup-qemu-action@v3' }),
      step({ uses: 'docker/setup-buildx-action@v3' }),
      step({
        name: 'Log in to GHCR',
        ifExpr: "github.event_name != 'pull_request'",
        uses: 'docker/login-action@v3',
        withPairs: [['registry', 'ghcr.io'], ['username', expr('github.actor')], ['password', expr('secrets.GITHUB_TOKEN')]],
      }),
      step({
        id: 'meta',
        uses: 'docker/metadata-action@v5',
        withPairs: [
          ['images', `ghcr.io/${expr('github.repository')}`],
          ['tags', block(['type=ref,event=branch', 'type=ref,event=pr', 'type=semver,pattern={{version}}', 'type=sha'])],
        ],
      }),
      step({
        uses: 'docker/build-push-action@v6',
        withPairs: [
          ['context', '.'],
          ['platforms', rng.pick(['linux/amd64', 'linux/amd64,linux/arm64'])],
          ['push', push ? expr("github.event_name != 'pull_request'") : false],
          ['tags', expr('steps.meta.outputs.tags')],
          ['labels', expr('steps.meta.outputs.labels')],
          ['cache-from', 'type=gha'],
          ['cache-to', 'type=gha,mode=max'],
        ],
      }),
    ],
  });
}

export function releaseJob(rng, language) {
  const publishStep = {
    node: step({
      name: 'Publish to npm',
      run: 'npm publish --provenance --access public',
      env: [['NODE_AUTH_TOKEN', expr('secrets.NPM_TOKEN')]],
    }),
    python: step({ name: 'Publish to PyPI', uses: 'pypa/gh-action-pypi-publish@release/v1' }),
    go: step({
      uses: 'goreleaser/goreleaser-action@v6',
      withPairs: [['distribution', 'goreleaser'], ['version', '~> v2'], ['args', 'release --clean']],
      env: [['GITHUB_TOKEN', expr('secrets.GITHUB_TOKEN')]],
    }),
    rust: step({ name: 'Publish crate', run: 'cargo publish --locked', env: [['CARGO_REGISTRY_TOKEN', expr('secrets.CARGO_REGISTRY_TOKEN')]] }),
  }[language];
  const steps = [checkout(rng, { fetchDepth: 0 }), ...setupToolchain(rng, language === 'terraform' || language === 'docs' ? 'node' : language)];
  if (publishStep) steps.push(publishStep);
  // A gh call that is not a dispatch: the linter must not mistake every `gh` for one.
  steps.push(
    step({
      name: 'Create GitHub release',
      env: [['GH_TOKEN', expr('github.token')]],
      run: ['gh release create "$GITHUB_REF_NAME" \\', '  --title "$GITHUB_REF_NAME" \\', '  --generate-notes \\', '  --verify-tag'],
    }),
  );
  return job('release', {
    name: 'Release',
    permissions: [['contents', 'write'], ['id-token', 'write']],
    environment: rng.chance(0.5) ? 'release' : undefined,
    steps,
  });
}

export function staleJob(rng) {
  const days = rng.pick([30, 45, 60, 90]);
  return job('stale', {
    permissions: [['issues', 'write'], ['pull-requests', 'write']],
    steps: [
      step({
        uses: 'actions/stale@v9',
        withPairs: [
          ['days-before-stale', days],
          ['days-before-close', rng.pick([7, 14])],
          [
            'stale-issue-message',
            block(
              [
                `This issue has had no activity for ${days} days, so it has been marked as stale.`,
                'It will be closed in a week unless someone comments or removes the label.',
              ],
              '>',
            ),
          ],
          ['stale-pr-message', block(['This pull request has gone quiet and has been marked as stale.', 'Push a commit or comment to keep it open.'], '>')],
          ['exempt-issue-labels', 'pinned,security,roadmap'],
          ['operations-per-run', rng.pick([30, 100, 300])],
        ],
      }),
    ],
  });
}

export function dependabotJob() {
  return job('auto-merge', {
    ifExpr: "github.actor == 'dependabot[bot]'",
    permissions: [['contents', 'write'], ['pull-requests', 'write']],
    steps: [
      step({ name: 'Fetch Dependabot metadata', id: 'metadata', uses: 'dependabot/fetch-metadata@v2', withPairs: [['github-token', expr('secrets.GITHUB_TOKEN')]] }),
      step({
        name: 'Approve and enable auto-merge for patch updates',
        ifExpr: "steps.metadata.outputs.update-type == 'version-update:semver-patch'",
        env: [['PR_URL', expr('github.event.pull_request.html_url')], ['GH_TOKEN', expr('secrets.GITHUB_TOKEN')]],
        run: ['gh pr review --approve "$PR_URL"', 'gh pr merge --auto --squash "$PR_URL"'],
      }),
    ],
  });
}

export function pagesJobs(rng) {
  const build = job('build', {
    steps: [
      checkout(rng),
      ...setupToolchain(rng, 'node'),
      step({ run: 'npm run docs:build' }),
      step({ uses: 'actions/configure-pages@v5' }),
      step({ uses: 'actions/upload-pages-artifact@v3', withPairs: [['path', rng.pick(['build', 'site', 'docs/.vitepress/dist'])]] }),
    ],
  });
  const deploy = job('deploy', {
    needs: 'build',
    environment: undefined,
    permissions: [['pages', 'write'], ['id-token', 'write']],
    steps: [step({ name: 'Deploy to GitHub Pages', id: 'deployment', uses: 'actions/deploy-pages@v4' })],
  });
  return [build, deploy];
}

export function terraformJob(rng, { apply = false } = {}) {
  const environment = rng.pick(['staging', 'production']);
  return job(apply ? 'apply' : 'plan', {
    name: apply ? `Apply (${environment})` : 'Plan',
    environment: apply ? environment : undefined,
    permissions: [['id-token', 'write'], ['contents', 'read'], ['pull-requests', 'write']],
    env: [['TF_IN_AUTOMATION', 'true'], ['TF_VAR_environment', environment]],
    steps: [
      checkout(rng),
      step({
        name: 'Configure AWS credentials',
        uses: 'aws-actions/configure-aws-credentials@v4',
        withPairs: [['role-to-assume', `arn:aws:iam::${rng.int(100000000000, 999999999999)}:role/github-actions-terraform`], ['aws-region', rng.pick(['eu-west-1', 'us-east-1', 'eu-central-1'])]],
      }),
      ...setupToolchain(rng, 'terraform'),
      step({ name: 'Init', run: `terraform -chdir=envs/${environment} init -input=false` }),
      step({
        name: apply ? 'Apply' : 'Plan',
        run: apply
          ? `terraform -chdir=envs/${environment} apply -input=false -auto-approve`
          : `terraform -chdir=envs/${environment} plan -input=false -no-color -out=tfplan`,
      }),
    ],
  });
}

/** Small hygiene jobs: each is a whole workflow's worth of work in real repositories. */
export function hygieneJob(rng) {
  switch (rng.weighted({ labeler: 3, prTitle: 3, actionlint: 2, typos: 2, cacheCleanup: 2, lockThreads: 1 })) {
    case 'labeler':
      return job('label', {
        permissions: [['contents', 'read'], ['pull-requests', 'write']],
        steps: [step({ uses: 'actions/labeler@v5', withPairs: [['sync-labels', true]] })],
      });
    case 'prTitle':
      return job('title', {
        name: 'Conventional PR title',
        steps: [
          step({
            uses: 'amannn/action-semantic-pull-request@v5',
            env: [['GITHUB_TOKEN', expr('secrets.GITHUB_TOKEN')]],
            withPairs: [['types', block(['feat', 'fix', 'docs', 'chore', 'refactor', 'test', 'ci'])], ['requireScope', false]],
          }),
        ],
      });
    case 'actionlint':
      return job('actionlint', {
        steps: [
          checkout(rng),
          step({
            name: 'Check workflow files',
            run: [
              'bash <(curl -sSfL https://raw.githubusercontent.com/rhysd/actionlint/main/scripts/download-actionlint.bash)',
              './actionlint -color',
            ],
            shell: 'bash',
          }),
        ],
      });
    case 'typos':
      return job('spelling', { steps: [checkout(rng), step({ uses: 'crate-ci/typos@v1.24.6' })] });
    case 'cacheCleanup':
      return job('cleanup', {
        permissions: [['actions', 'write']],
        steps: [
          step({
            name: 'Delete caches of the closed branch',
            env: [['GH_TOKEN', expr('github.token')], ['BRANCH', `refs/pull/${expr('github.event.pull_request.number')}/merge`]],
            // Another gh call that is not a dispatch.
            run: [
              'gh extension install actions/gh-actions-cache',
              'for key in $(gh actions-cache list -R "$GITHUB_REPOSITORY" -B "$BRANCH" | cut -f 1); do',
              '  gh actions-cache delete "$key" -R "$GITHUB_REPOSITORY" -B "$BRANCH" --confirm || true',
              'done',
            ],
          }),
        ],
      });
    default:
      return job('lock', {
        permissions: [['issues', 'write'], ['pull-requests', 'write']],
        steps: [step({ uses: 'dessant/lock-threads@v5', withPairs: [['issue-inactive-days', 365], ['process-only', 'issues, prs']] })],
      });
  }
}

/** A failure notice to Slack, whose JSON `payload` is not a dispatch payload. */
export function slackNotifyJob(rng, needs) {
  return job('notify-failure', {
    needs,
    ifExpr: 'failure()',
    steps: [
      step({
        uses: 'slackapi/slack-github-action@v1.27.0',
        withPairs: [
          ['channel-id', rng.pick(['C04ABCDEF12', 'C05QWERTY99', 'C06ZXCVBN00'])],
          [
            'payload',
            block([
              '{',
              `  "text": "${expr('github.workflow')} failed on ${expr('github.ref_name')}",`,
              `  "link": "${expr('github.server_url')}/${expr('github.repository')}/actions/runs/${expr('github.run_id')}"`,
              '}',
            ]),
          ],
        ],
        env: [['SLACK_BOT_TOKEN', expr('secrets.SLACK_BOT_TOKEN')]],
      }),
    ],
  });
}
