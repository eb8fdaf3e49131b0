/**
 * The Action's metadata and the workflows this project ships (examples/workflows/, its own .github/workflows/)
 * through GitHub's own parser (@actions/workflow-parser: parseAction for action.yml, parseWorkflow for the
 * rest), with zero errors; the examples lint clean with dispatch-lint and are the README's blocks, byte for byte.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './support/lint.js';

const examples = join(projectRoot, 'examples', 'workflows');
const exampleFiles = readdirSync(examples).filter((file) => file.endsWith('.yml')).sort();
const ownWorkflows = join(projectRoot, '.github', 'workflows');

function errorsOf(context: { errors: { getErrors(): { message: string }[] } }): string[] {
  return context.errors.getErrors().map((error) => error.message);
}

describe("GitHub's workflow parser", () => {
  it('reads action.yml as a composite action with no error', () => {
    const parsed = parseAction({ name: 'action.yml', content: readFileSync(join(projectRoot, 'action.yml'), 'utf8') }, new NoOperationTraceWriter());
    expect(errorsOf(parsed.context)).toEqual([]);
    expect(parsed.value).toBeDefined();
    const template = convertActionTemplate(parsed.context, parsed.value!);
    expect(errorsOf(parsed.context)).toEqual([]);
    expect(template.runs.using).toBe('composite');
    expect(template.inputs?.map((input) => input.id)).toEqual(['paths', 'github', 'token', 'config', 'base', 'baseline', 'fail-on', 'sarif', 'sarif-dir', 'args']);
  });

  it('finds the errors it is asked to find (a step without run or uses; an unknown key)', () => {
    const broken = parseAction({ name: 'action.yml', content: 'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - shell: bash\n  bogus: 1\n' }, new NoOperationTraceWriter());
    expect(errorsOf(broken.context).length).toBeGreaterThan(0);
    const workflow = parseWorkflow({ name: 'w.yml', content: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n' }, new NoOperationTraceWriter());
    expect(errorsOf(workflow.context).length).toBeGreaterThan(0);
  });

  const workflows = [...exampleFiles.map((file) => join(examples, file)), ...readdirSync(ownWorkflows).map((file) => join(ownWorkflows, file))];
  it.each(workflows.map((file) => [file.slice(projectRoot.length + 1), file]))('reads %s with no error', (_, file) => {
    const parsed = parseWorkflow({ name: file, content: readFileSync(file, 'utf8') }, new NoOperationTraceWriter());
    expect(errorsOf(parsed.context)).toEqual([]);
    expect(parsed.value).toBeDefined();
  });
});

describe('the example workflows', () => {
  it('are three: lint in CI, the scheduled audit, the pre-merge check', () => {
    expect(exampleFiles).toEqual(['dispatch-audit.yml', 'dispatch-lint.yml', 'dispatch-premerge.yml']);
  });

  it('lint clean with dispatch-lint (exit 0, no findings)', () => {
    const repo = join(mkdtempSync(join(tmpdir(), 'dispatch-lint-examples-')), 'acme', 'examples');
    mkdirSync(join(repo, '.github'), { recursive: true });
    cpSync(examples, join(repo, '.github', 'workflows'), { recursive: true });
    const run = runCli([repo, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { findings: unknown[]; repos: { workflows: number }[] };
    expect(report.findings).toEqual([]);
    expect(report.repos[0]?.workflows).toBe(3);
  });

  it('are the README blocks, byte for byte', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    for (const file of exampleFiles) {
      const block = new RegExp(`\`\`\`yaml\\n# examples/workflows/${file.replace('.', '\\.')}\\n([\\s\\S]*?)\`\`\``).exec(readme);
      expect(block, `README has a yaml block starting "# examples/workflows/${file}"`).not.toBeNull();
      expect(block?.[1]).toBe(readFileSync(join(examples, file), 'utf8'));
    }
  });
});
