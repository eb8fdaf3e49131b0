/** Worker-thread extraction gives the same report as the main thread, byte for byte. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/config.js';
import { shareBySize, usefulThreads } from '../src/extract/parallel.js';
import { formatJson } from '../src/report/json.js';
import { corpusRoot, projectRoot } from './support/lint.js';

describe('worker threads', () => {
  it('extract the fixtures and the corpus to the same report as one thread, with two threads and three', async () => {
    // Workers load the built files (dist/), so this goes through the build as users do.
    const { lint } = (await import(join(projectRoot, 'dist', 'src', 'engine.js'))) as typeof import('../src/engine.js');
    const fixtures = ['market-data-pending', 'reasonkit', 'shared-workflows', 'chatops-bot', 'senders', 'shell-loops', 'least-privilege'].map((name) => join(projectRoot, 'fixtures', name));
    const all = [...fixtures, join(corpusRoot, 'harmony-labs'), join(corpusRoot, 'gitkb'), join(corpusRoot, 'dapr')];
    const run = async (workers: number) => formatJson((await lint({ paths: all.filter((path) => !path.startsWith(corpusRoot) || existsSync(path)), cwd: projectRoot, config: defaultConfig(), workers })).report);
    const one = await run(0);
    expect(await run(2)).toBe(one);
    expect(await run(3)).toBe(one);
    // Through the facts cache too: one thread extracts what it lacks in batches as it hashes, two at the end.
    for (const workers of [0, 2]) {
      const cacheDir = mkdtempSync(join(tmpdir(), 'dispatch-lint-threads-cache-'));
      try {
        const cached = async () => formatJson((await lint({ paths: all.filter((path) => !path.startsWith(corpusRoot) || existsSync(path)), cwd: projectRoot, config: defaultConfig(), workers, cacheDir })).report);
        expect(await cached(), `cold, ${workers} workers`).toBe(one);
        expect(await cached(), `warm, ${workers} workers`).toBe(one);
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    }
  });

  it('post the facts of a worker back a batch at a time, each in its place, unreadable files included', async () => {
    const { extractInParallel, WORKER_BATCH } = (await import(join(projectRoot, 'dist', 'src', 'extract', 'parallel.js'))) as typeof import('../src/extract/parallel.js');
    const texts = workflowTexts(join(projectRoot, 'fixtures'));
    // Several batches per thread, and a file that cannot be read in the middle of a later batch.
    const files = Array.from({ length: WORKER_BATCH * 5 }, (_, index) => ({ repo: `acme/r${index % 7}`, path: `.github/workflows/w${index}.yml`, text: texts[index % texts.length] as string }));
    // The worker's share (the second), past its first batch.
    const gone = shareBySize(files, 2)[1]?.[WORKER_BATCH + 17] as number;
    files[gone] = { repo: 'acme/gone', path: '.github/workflows/gone.yml', text: '', readFrom: join(tmpdir(), 'dispatch-lint-no-such-file.yml') } as (typeof files)[number];
    // (Emptied, it may move within the share, but stays in it, past the first batch.)
    expect(shareBySize(files, 2)[1]?.indexOf(gone)).toBeGreaterThanOrEqual(WORKER_BATCH);
    const settings = { values: [] };
    const one = await extractInParallel(files, settings, 1);
    const two = await extractInParallel(files, settings, 2);
    expect(JSON.stringify(two.facts)).toBe(JSON.stringify(one.facts));
    expect(two.unreadable).toEqual({ [gone]: 'ENOENT' });
    expect(one.unreadable).toEqual(two.unreadable);
  });

  it('share files by size: largest first, each to the lightest share', () => {
    const file = (size: number) => ({ repo: 'o/r', path: `${size}.yml`, text: 'x'.repeat(size) });
    const files = [file(10), file(5000), file(4000), file(3000), file(2000), file(10)];
    // 5000 → A; 4000 → B; 3000 → B (4200 < 5200); 2000 → A; the two tiny ones to B then A.
    expect(shareBySize(files, 2)).toEqual([[0, 1, 4], [2, 3, 5]]);
    expect(shareBySize(files, 1)).toEqual([[0, 1, 2, 3, 4, 5]]);
  });

  it('run one JavaScript thread per one and a half cores, rounded up (V8 needs room beside each)', () => {
    expect([1, 2, 3, 4, 6, 8, 16].map((cores) => usefulThreads(cores))).toEqual([1, 2, 2, 3, 4, 6, 11]);
  });
});

/** The texts of every workflow file under `root`'s repositories (ORG/REPO/.github/workflows/*.yml). */
function workflowTexts(root: string): string[] {
  const texts: string[] = [];
  for (const org of readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name)) {
    for (const repo of readdirSync(join(root, org))) {
      const folder = join(root, org, repo, '.github', 'workflows');
      if (!existsSync(folder)) continue;
      for (const name of readdirSync(folder).sort()) if (/\.ya?ml$/.test(name)) texts.push(readFileSync(join(folder, name), 'utf8'));
    }
  }
  return texts;
}
