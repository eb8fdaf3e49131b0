/**
 * Docs that are tests (actionlint's habit): every rule has a page, and every page's failing example reports
 * exactly its rule while its passing example does not.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { defaultConfig, loadConfig } from '../src/config/config.js';
import { lint } from '../src/engine.js';
import { palette } from '../src/report/colour.js';
import { formatStylish } from '../src/report/stylish.js';
import { docsPath } from '../src/rule.js';
import { RULES } from '../rules/index.js';
import { startFakeGitHub, type FakeOrg } from './support/fake-github.js';
import { gitFolder } from './support/git.js';
import { projectRoot } from './support/lint.js';

interface Example {
  files: Map<string, string>;
  config?: string;
  /** For --base rules: `### \`.dispatch-lint.yml\` at the base` is the config committed as the base. */
  baseConfig?: string;
  /** For GitHub-mode rules: `### \`github.yml\`` declares the secret names GitHub has (`repos: {owner/name: [..]}`). */
  github?: string;
}

/** The files of the `## <section>` of a rule page: each `### \`path\`` heading and the yaml block after it. */
export function exampleOf(markdown: string, section: string): Example {
  const start = markdown.indexOf(`\n## ${section}\n`);
  if (start < 0) throw new Error(`no "## ${section}" section`);
  const next = markdown.indexOf('\n## ', start + 1);
  const body = markdown.slice(start, next < 0 ? undefined : next);
  const example: Example = { files: new Map() };
  const file = /^### `([^`]+)`( at the base)?\s*\n+```ya?ml\n([\s\S]*?)^```\s*$/gm;
  for (let match = file.exec(body); match; match = file.exec(body)) {
    const [, path, atBase, text] = match as unknown as [string, string, string | undefined, string];
    if (path === '.dispatch-lint.yml' && atBase) example.baseConfig = text;
    else if (path === '.dispatch-lint.yml') example.config = text;
    else if (path === 'github.yml') example.github = text;
    else example.files.set(path, text);
  }
  if (example.files.size === 0) throw new Error(`"## ${section}" has no \`### \\\`owner/repo/path\\\`\` file with a yaml block`);
  return example;
}

/** Serves the example's files from the fake GitHub, with the secret names its github.yml declares, and lints it there. */
async function rulesReportedThroughGitHub(example: Example): Promise<string[]> {
  const declared = (parseYaml(example.github ?? '{}') ?? {}) as { repos?: Record<string, string[]>; orgs?: Record<string, string[]> };
  const orgs = new Map<string, FakeOrg>();
  for (const [path, text] of example.files) {
    const [owner, name, ...rest] = path.split('/') as [string, string, ...string[]];
    const org: FakeOrg = orgs.get(owner) ?? { login: owner, repos: [], secrets: (declared.orgs?.[owner] ?? []).map((secret) => ({ name: secret, visibility: 'all' as const })) };
    orgs.set(owner, org);
    let repo = org.repos.find((candidate) => candidate.name === name);
    if (!repo) {
      repo = { name, files: {}, secrets: declared.repos?.[`${owner}/${name}`] ?? [] };
      org.repos.push(repo);
    }
    repo.files[rest.join('/')] = text;
  }
  const fake = await startFakeGitHub({ orgs: [...orgs.values()] });
  try {
    const result = await lint({
      paths: [],
      cwd: projectRoot,
      config: defaultConfig(),
      workers: 0,
      github: { targets: [...orgs.keys()], apiUrl: fake.url, repoGlobs: [], includeArchived: false, includeForks: false, cacheDir: null },
    });
    expect(result.scanErrors).toEqual([]);
    return [...new Set(result.report.findings.map((finding) => finding.rule))].sort();
  } finally {
    await fake.stop();
  }
}

async function rulesReported(example: Example): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'dispatch-lint-docs-'));
  const owners = new Set<string>();
  for (const [path, text] of example.files) {
    const [owner] = path.split('/');
    owners.add(owner as string);
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  let config = defaultConfig();
  if (example.config !== undefined) {
    writeFileSync(join(root, '.dispatch-lint.yml'), example.config);
    config = loadConfig(join(root, '.dispatch-lint.yml'));
  }
  const result = await lint({ paths: [...owners].map((owner) => join(root, owner)), cwd: root, config, workers: 0 });
  expect(result.scanErrors).toEqual([]);
  lastOutput = formatStylish(result.report, { palette: palette(false), roots: result.roots, cwd: root });
  return [...new Set(result.report.findings.map((finding) => finding.rule))].sort();
}

/** The stylish output of the last local example linted: what `dispatch-lint acme` prints in its folder. */
let lastOutput: string | undefined;

/** The ```text block after "reports:" in a section, where the page shows what the linter prints. */
function shownOutput(markdown: string, section: string): string | undefined {
  const start = markdown.indexOf(`\n## ${section}\n`);
  const next = markdown.indexOf('\n## ', start + 1);
  const body = markdown.slice(start, next < 0 ? undefined : next);
  return /reports:\s*\n+```text\n([\s\S]*?)^```\s*$/m.exec(body)?.[1];
}

/** For --base rules: the files and the base config committed as `main`, then the head config written, linted with --base main. */
async function rulesReportedAgainstBase(example: Example): Promise<string[]> {
  const files: Record<string, string> = Object.fromEntries(example.files);
  if (example.baseConfig !== undefined) files['.dispatch-lint.yml'] = example.baseConfig;
  const repo = gitFolder(files);
  repo.write({ '.dispatch-lint.yml': example.config ?? null });
  const owners = [...new Set([...example.files.keys()].map((path) => path.split('/')[0] as string))];
  const result = await lint({ paths: owners.map((owner) => join(repo.root, owner)), cwd: repo.root, workers: 0, base: { ref: 'main' } });
  expect(result.scanErrors).toEqual([]);
  return [...new Set(result.report.findings.map((finding) => finding.rule))].sort();
}

describe('rule docs', () => {
  for (const rule of RULES) {
    describe(rule.id, () => {
      const page = join(projectRoot, docsPath(rule.id));

      it('has a page with its severity and every section', () => {
        expect(existsSync(page), `${docsPath(rule.id)} is missing`).toBe(true);
        const markdown = readFileSync(page, 'utf8');
        expect(markdown.startsWith(`# ${rule.id}\n`)).toBe(true);
        expect(markdown).toContain(`**Default severity:** ${rule.defaultSeverity}.`);
        for (const section of ['What it catches', 'Why it matters', 'Failing example', 'Passing example', 'Configuration']) {
          expect(markdown).toContain(`\n## ${section}\n`);
        }
      });

      it('its failing example reports exactly this rule; its passing example does not', async () => {
        if (!existsSync(page)) return;
        const markdown = readFileSync(page, 'utf8');
        const lintExample = rule.requires === 'github' ? rulesReportedThroughGitHub : rule.requires === 'base' ? rulesReportedAgainstBase : rulesReported;
        lastOutput = undefined;
        expect(await lintExample(exampleOf(markdown, 'Failing example'))).toEqual([rule.id]);
        // What the page says the linter prints is what it prints (positions, messages, the summary line).
        const shown = shownOutput(markdown, 'Failing example');
        if (shown !== undefined && lastOutput !== undefined) {
          if (process.env.UPDATE_EXPECTED === '1' && lastOutput !== shown) writeFileSync(page, markdown.replace(`\`\`\`text\n${shown}\`\`\``, `\`\`\`text\n${lastOutput}\`\`\``));
          else expect(lastOutput).toBe(shown);
        }
        expect(await lintExample(exampleOf(markdown, 'Passing example'))).not.toContain(rule.id);
      });
    });
  }
});
