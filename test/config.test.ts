/** The config file's settings, each seen working through a lint: outside events, values, ignore, token, limits. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { lint } from '../src/engine.js';

const SENDER = (target: string, event: string, secret = 'DISPATCH_TOKEN') =>
  `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: \${{ secrets.${secret} }}\n          repository: ${target}\n          event-type: ${event}\n`;
const LISTENER = (type: string) => `on:\n  repository_dispatch:\n    types: [${type}]\njobs:\n  l:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n`;

function setup(files: Record<string, string>, config: string): { root: string; rules: () => Promise<string[]> } {
  const root = mkdtempSync(join(tmpdir(), 'dispatch-lint-config-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, 'acme', path, '..'), { recursive: true });
    writeFileSync(join(root, 'acme', path), text);
  }
  writeFileSync(join(root, '.dispatch-lint.yml'), config);
  return {
    root,
    rules: async () => {
      const result = await lint({ paths: ['acme'], cwd: root, config: loadConfig(join(root, '.dispatch-lint.yml')), workers: 0 });
      return result.report.findings.map((finding) => `${finding.rule} ${finding.location.repo}`);
    },
  };
}

describe('config', () => {
  const files = {
    'api/.github/workflows/release.yml': SENDER('acme/api', 'platform-result'),
    'web/.github/workflows/release.yml': SENDER('acme/deploy', 'deploy', 'OTHER_TOKEN'),
    'docs/.github/workflows/release.yml': SENDER('acme/deploy', 'deploy'),
    'wiki/.github/workflows/release.yml': SENDER('acme/deploy', 'deploy'),
    'deploy/.github/workflows/deploy.yml': LISTENER('deploy'),
    'deploy/.github/workflows/manual.yml': LISTENER('manual-deploy'),
  };

  it('without settings, reports what the files show', async () => {
    expect(await setup(files, '{}\n').rules()).toEqual([
      'event-without-listener acme/api',
      'listener-without-sender acme/deploy',
      'token-secret-drift acme/web',
    ]);
  });

  it('events.toOutside / fromOutside exempt declared types; token.secret names the canonical secret', async () => {
    const config = 'events:\n  toOutside:\n    - repo: acme/api\n      types: [platform-result]\n  fromOutside:\n    - types: [manual-deploy]\ntoken:\n  secret: OTHER_TOKEN\n';
    expect(await setup(files, config).rules()).toEqual(['token-secret-drift acme/docs', 'token-secret-drift acme/wiki']);
  });

  it('rules sets severities and ignore leaves repositories and files out', async () => {
    const config = 'rules:\n  token-secret-drift: off\nignore:\n  - acme/api\n  - acme/deploy/.github/workflows/manual.yml\n';
    expect(await setup(files, config).rules()).toEqual([]);
  });

  it('values declares what an expression is at run time', async () => {
    const sender = SENDER('${{ steps.pick.outputs.repo }}', 'deploy').replace('      - uses:', '      - id: pick\n        run: echo repo=acme/deploy >> $GITHUB_OUTPUT\n      - uses:');
    const withoutValues = await setup({ ...files, 'web/.github/workflows/release.yml': sender }, '{}\n').rules();
    expect(withoutValues).toContain('unresolved-dispatch acme/web');
    const config = 'values:\n  - repo: acme/web\n    expression: steps.pick.outputs.repo\n    values: [acme/nowhere]\n';
    const withValues = await setup({ ...files, 'web/.github/workflows/release.yml': sender }, config).rules();
    expect(withValues).toContain('unknown-target-repo acme/web');
    expect(withValues).not.toContain('unresolved-dispatch acme/web');
  });

  it('limits.workflowInputs sets the input limit', async () => {
    const inputs = Array.from({ length: 11 }, (_, index) => `      i${index}:\n        type: string\n`).join('');
    const target = { 'deploy/.github/workflows/many.yml': `on:\n  workflow_dispatch:\n    inputs:\n${inputs}jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "$ALL"\n        env:\n          ALL: \${{ toJSON(inputs) }}\n` };
    expect(await setup(target, '{}\n').rules()).toEqual([]);
    expect(await setup(target, 'limits:\n  workflowInputs: 10\n').rules()).toEqual(['workflow-dispatch-inputs acme/deploy']);
  });
});

describe('config schema', () => {
  it('accepts every rule id the linter has', async () => {
    const { readFileSync } = await import('node:fs');
    const { configSchemaPath } = await import('../src/config/config.js');
    const { RULES } = await import('../rules/index.js');
    const schema = JSON.parse(readFileSync(configSchemaPath(), 'utf8')) as { properties: { rules: { propertyNames: { enum: string[] } } } };
    for (const rule of RULES) expect(schema.properties.rules.propertyNames.enum).toContain(rule.id);
  });
});
