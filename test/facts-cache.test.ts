/** The facts cache: the same report with it and without, and an entry trusted only while what it was read from is unchanged. */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig, type Config } from '../src/config/config.js';
import { lint } from '../src/engine.js';
import { FactsCache } from '../src/extract/facts-cache.js';
import type { WorkflowFacts } from '../src/model.js';
import { gitBlobOid } from '../src/sources/github/blob-cache.js';
import { formatJson } from '../src/report/json.js';
import { corpusRoot, projectRoot, runCli } from './support/lint.js';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temporary(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

async function lintWith(paths: string[], cacheDir: string | undefined, config: Config = defaultConfig(), workers = 0) {
  // Worker threads load the built files (dist/), so a lint on threads goes through the build, as users' do.
  const run = workers > 0 ? ((await import(join(projectRoot, 'dist', 'src', 'engine.js'))) as typeof import('../src/engine.js')).lint : lint;
  const result = await run({ paths, cwd: projectRoot, config, workers, ...(cacheDir ? { cacheDir } : {}) });
  return { json: formatJson(result.report), cache: result.cache, scanErrors: result.scanErrors };
}

function storeFiles(cacheDir: string): string[] {
  const folder = join(cacheDir, 'facts');
  return existsSync(folder) ? readdirSync(folder).map((name) => join(folder, name)) : [];
}

const fixtures = readdirSync(join(projectRoot, 'fixtures'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(projectRoot, 'fixtures', entry.name));

describe('facts cache', () => {
  it('gives the report of a lint without it, cold and warm, on every fixture and the corpus; warm extracts nothing', async () => {
    const paths = [...fixtures, ...(existsSync(corpusRoot) ? [corpusRoot] : [])];
    for (const path of paths) {
      const cacheDir = temporary('dispatch-lint-cache-');
      const plain = await lintWith([path], undefined);
      const cold = await lintWith([path], cacheDir);
      const warm = await lintWith([path], cacheDir);
      expect(cold.json, path).toBe(plain.json);
      expect(warm.json, path).toBe(plain.json);
      expect(cold.cache?.hits, path).toBe(0);
      expect(warm.cache?.misses, path).toBe(0);
      expect(warm.cache?.hits, path).toBe(cold.cache?.misses);
    }
  });

  it('on threads from an empty store (files hashed where they are extracted) gives the same report, store and metadata notes', async () => {
    const paths = [join(projectRoot, 'fixtures', 'reasonkit'), ...(existsSync(corpusRoot) ? [corpusRoot] : [])];
    const storeOf = (cacheDir: string) => readFileSync(storeFiles(cacheDir)[0] as string, 'utf8').split('\n').slice(0, -1);
    for (const path of paths) {
      const plain = await lintWith([path], undefined);
      const inlineDir = temporary('dispatch-lint-cache-');
      const threadsDir = temporary('dispatch-lint-cache-');
      await lintWith([path], inlineDir);
      const cold = await lintWith([path], threadsDir, defaultConfig(), 2);
      expect(cold.json, path).toBe(plain.json);
      expect(cold.cache, path).toEqual({ hits: 0, misses: expect.any(Number) });
      // Every file's metadata was noted with its blob id, as a one-thread lint notes it after reading the file first.
      const statsOf = (lines: string[]) => JSON.parse(lines.at(-2) as string) as [string, unknown[]][];
      const noted = new Map(statsOf(storeOf(threadsDir)));
      expect(noted.size, path).toBe(cold.cache?.misses);
      for (const [file, stat] of statsOf(storeOf(inlineDir))) expect(noted.get(file)?.at(-1), file).toBe(stat.at(-1));
      const warm = await lintWith([path], threadsDir, defaultConfig(), 2);
      expect(warm.json, path).toBe(plain.json);
      expect(warm.cache, path).toEqual({ hits: cold.cache?.misses, misses: 0 });
    }
  });

  it('ignores a corrupt, tampered or foreign store, and rewrites it', async () => {
    const path = join(projectRoot, 'fixtures', 'reasonkit');
    const plain = await lintWith([path], undefined);
    const cacheDir = temporary('dispatch-lint-cache-');
    const cold = await lintWith([path], cacheDir);
    const [store] = storeFiles(cacheDir);
    expect(store).toBeDefined();
    const good = readFileSync(store as string, 'utf8');
    // The entries and their checksum, not the files' metadata (it carries the time it was taken) or its checksum.
    const lines = (text: string) => text.split('\n').slice(0, -1);
    // The facts lines and the index, and the header's checksum of them.
    const withoutStats = (text: string) => [(JSON.parse(lines(text).at(-1) as string) as { checksum: string }).checksum, lines(text).slice(0, -2)];
    expect(lines(good).at(-1)).toMatch(/^\{"format":"dispatch-lint facts cache 4","checksum":"[0-9a-f]{64}","statsChecksum":"[0-9a-f]{64}"\}$/);
    // A line of facts per workflow file, then the index of their keys, the files' metadata and the header.
    expect(lines(good)).toHaveLength((cold.cache?.misses ?? 0) + 3);
    // Facts changed (a send's event type) without the checksum: never trusted. Likewise another format's stamp,
    // the previous format's layout, a truncated file, and files that are not ours.
    const tampered = good.replace(/eventType/g, 'eventTypo');
    const foreign = good.replace('dispatch-lint facts cache 4', 'something else 1');
    // Format 3 put the header first: the same lines, reordered, under its stamp.
    const previousFormat = [lines(good).at(-1)?.replace('cache 4', 'cache 3'), lines(good).at(-3), ...lines(good).slice(0, -3), lines(good).at(-2), ''].join('\n');
    for (const damage of [good.slice(0, Math.floor(good.length / 2)), 'not json at all', '', tampered, foreign, previousFormat, '[]', 'null', '\n\n\n']) {
      writeFileSync(store as string, damage);
      const run = await lintWith([path], cacheDir);
      expect(run.json).toBe(plain.json);
      expect(run.cache).toEqual({ hits: 0, misses: cold.cache?.misses });
      // Rewritten whole: the next lint takes everything from it.
      expect(withoutStats(readFileSync(store as string, 'utf8'))).toEqual(withoutStats(good));
      expect((await lintWith([path], cacheDir)).cache).toEqual({ hits: cold.cache?.misses, misses: 0 });
    }
  });

  it('extracts a file again when its content changes but its size and mtime stay (the metadata trap)', async () => {
    const root = temporary('dispatch-lint-trap-');
    const dir = join(root, 'repo', '.github', 'workflows');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'a.yml');
    const text = (type: string) => `on:\n  repository_dispatch:\n    types: [${type}]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n`;
    writeFileSync(file, text('aaaa'));
    // Older than the racy window, so the second lint may judge it by its metadata alone.
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const cacheDir = temporary('dispatch-lint-cache-');
    await lintWith([join(root, 'repo')], cacheDir);
    expect((await lintWith([join(root, 'repo')], cacheDir)).cache).toEqual({ hits: 1, misses: 0 });
    // Same size, same mtime, other content: the ctime (which no one can set back) gives it away.
    writeFileSync(file, text('bbbb'));
    utimesSync(file, old, old);
    const after = await lintWith([join(root, 'repo')], cacheDir);
    expect(after.cache).toEqual({ hits: 0, misses: 1 });
    expect(after.json).toBe((await lintWith([join(root, 'repo')], undefined)).json);
  });

  it('extracts a file again when its content, a file it loads, or the config values change', async () => {
    const org = temporary('dispatch-lint-org-');
    cpSync(join(projectRoot, 'fixtures', 'shared-workflows'), join(org, 'shared-workflows'), { recursive: true });
    const path = join(org, 'shared-workflows');
    const cacheDir = temporary('dispatch-lint-cache-');
    const first = await lintWith([path], cacheDir);
    expect((await lintWith([path], cacheDir)).cache?.misses).toBe(0);

    // The composite action the api's release workflow loads: only that workflow is read again.
    const action = join(path, 'api', '.github', 'actions', 'notify', 'action.yml');
    writeFileSync(action, readFileSync(action, 'utf8').replace('event-type: deploy-requested', 'event-type: deploy-requestd'));
    const afterAction = await lintWith([path], cacheDir);
    expect(afterAction.cache?.misses).toBe(1);
    expect(afterAction.json).toBe((await lintWith([path], undefined)).json);
    expect(afterAction.json).not.toBe(first.json);

    // A workflow's own text.
    const workflow = join(path, 'deploy', '.github', 'workflows', 'deploy.yml');
    writeFileSync(workflow, readFileSync(workflow, 'utf8').replace('types: [deploy, service-released]', 'types: [deploy, service-released, deploy-requestd]'));
    const afterWorkflow = await lintWith([path], cacheDir);
    expect(afterWorkflow.cache?.misses).toBe(1);
    expect(afterWorkflow.json).toBe((await lintWith([path], undefined)).json);
    expect(afterWorkflow.json).not.toBe(afterAction.json);

    // The config's `values` are extraction settings: every file is read again.
    const config = { ...defaultConfig(), values: [{ expression: 'vars.TARGET', values: ['shared-workflows/deploy'] }] } as Config;
    const withValues = await lintWith([path], cacheDir, config);
    expect(withValues.cache?.hits).toBe(0);
    expect(withValues.json).toBe((await lintWith([path], undefined, config)).json);
  });

  it('is on by default in the CLI, in XDG_CACHE_HOME, and --no-cache writes nothing', () => {
    const fixture = join(projectRoot, 'fixtures', 'market-data-pending');
    const cacheHome = temporary('dispatch-lint-cache-home-');
    const withCache = runCli([fixture, '--format', 'json'], { env: { XDG_CACHE_HOME: cacheHome } });
    expect(storeFiles(join(cacheHome, 'dispatch-lint'))).toHaveLength(1);
    const noCacheHome = temporary('dispatch-lint-cache-home-');
    const without = runCli([fixture, '--format', 'json', '--no-cache'], { env: { XDG_CACHE_HOME: noCacheHome } });
    expect(readdirSync(noCacheHome)).toEqual([]);
    expect(without.stdout).toBe(withCache.stdout);
    expect(without.status).toBe(withCache.status);
    // Warm, from the cache the first run wrote.
    expect(runCli([fixture, '--format', 'json'], { env: { XDG_CACHE_HOME: cacheHome } }).stdout).toBe(withCache.stdout);
  });

  describe('its store, written as the lint goes', () => {
    const facts = (eventType: string): WorkflowFacts => ({ repo: 'acme/a', path: '.github/workflows/a.yml', triggers: [eventType], sends: [], payloadReads: [], listenerProblems: [], syntaxErrors: [], notes: [] });
    const file = (text: string) => ({ repo: 'acme/a', path: '.github/workflows/a.yml', text });

    it('keeps the latest facts of a file extracted twice in one lint (GitHub mode, with the files it asked for)', () => {
      const dir = temporary('dispatch-lint-cache-');
      const first = new FactsCache(dir, '1.0.0', {}, 'scope');
      const key = first.keyOf(file('on: push\n'));
      expect(first.get(key, undefined)).toBeUndefined();
      first.set(key, facts('without-the-action'), [['acme/a', 'action.yml', null]]);
      first.set(key, facts('with-the-action'), [['acme/a', 'action.yml', gitBlobOid('runs: {}\n')]]);
      first.save();
      const withAction = { read: (_repo: string, path: string) => (path === 'action.yml' ? 'runs: {}\n' : undefined) };
      expect(new FactsCache(dir, '1.0.0', {}, 'scope').get(key, withAction)?.triggers).toEqual(['with-the-action']);
      // The first extraction's entry (the action absent) is not used: its line is in the store, and the later one wins.
      expect(new FactsCache(dir, '1.0.0', {}, 'scope').get(key, { read: () => undefined })).toBeUndefined();
    });

    it('judges an entry by the files it is asked with, each time (GitHub mode asks again once more files are fetched)', () => {
      const dir = temporary('dispatch-lint-cache-');
      const first = new FactsCache(dir, '1.0.0', {}, 'scope');
      const key = first.keyOf(file('on: push\n'));
      first.get(key, undefined);
      first.set(key, facts('with-the-action'), [['acme/a', 'action.yml', gitBlobOid('runs: {}\n')]]);
      first.save();
      const cache = new FactsCache(dir, '1.0.0', {}, 'scope');
      // The action not fetched yet: no entry. Fetched: the entry holds. The first answer is not kept for the second.
      expect(cache.get(key, { read: () => undefined })).toBeUndefined();
      expect(cache.get(key, { read: (_repo: string, path: string) => (path === 'action.yml' ? 'runs: {}\n' : undefined) })?.triggers).toEqual(['with-the-action']);
      expect(cache.get(key, { read: () => 'runs: { changed: true }\n' })).toBeUndefined();
    });

    it('writes a store whose entries all read back, and removes half-written copies an hour old', () => {
      const dir = temporary('dispatch-lint-cache-');
      const cache = new FactsCache(dir, '1.0.0', {}, 'scope');
      const keys = ['a', 'b', 'c'].map((name) => cache.keyOf(file(`on: ${name}\n`)));
      keys.forEach((key, index) => {
        expect(cache.get(key, undefined)).toBeUndefined();
        cache.set(key, facts(`event-${index}`), []);
      });
      const folder = join(dir, 'facts');
      const [store] = storeFiles(dir);
      // Mid-lint: the copy being written sits beside where the store will be, and no store yet.
      expect(store).toMatch(/\.json\.\d+\.[0-9a-f]{12}\.tmp$/);
      const final = (store as string).replace(/\.\d+\.[0-9a-f]+\.tmp$/, '');
      const stale = `${final}.1.aaaaaaaaaaaa.tmp`;
      const recent = `${final}.2.bbbbbbbbbbbb.tmp`;
      writeFileSync(stale, 'half');
      writeFileSync(recent, 'half');
      const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000);
      utimesSync(stale, dayAgo, dayAgo);
      cache.save();
      expect(readdirSync(folder).sort()).toEqual([basename(recent), basename(final)].sort());
      const again = new FactsCache(dir, '1.0.0', {}, 'scope');
      expect(keys.map((key) => again.get(key, undefined)?.triggers)).toEqual([['event-0'], ['event-1'], ['event-2']]);
      expect(again.hits).toBe(3);
    });

    it('two lints of the same repositories at once each write a copy of their own; a failed lint leaves none', () => {
      const dir = temporary('dispatch-lint-cache-');
      const first = new FactsCache(dir, '1.0.0', {}, 'scope');
      const second = new FactsCache(dir, '1.0.0', {}, 'scope');
      const key = first.keyOf(file('on: push\n'));
      for (const cache of [first, second]) expect(cache.get(key, undefined)).toBeUndefined();
      first.set(key, facts('first'), []);
      second.set(key, facts('second'), []);
      expect(storeFiles(dir)).toHaveLength(2);
      first.save();
      second.save();
      expect(storeFiles(dir)).toHaveLength(1);
      expect(new FactsCache(dir, '1.0.0', {}, 'scope').get(key, undefined)?.triggers).toEqual(['second']);
      // Used up: a set after save writes nothing anywhere.
      second.set(key, facts('late'), []);
      second.save();
      expect(new FactsCache(dir, '1.0.0', {}, 'scope').get(key, undefined)?.triggers).toEqual(['second']);
      const failed = new FactsCache(dir, '1.0.0', {}, 'scope');
      failed.set(failed.keyOf(file('on: pull_request\n')), facts('pull_request'), []);
      expect(storeFiles(dir)).toHaveLength(2);
      failed.discard();
      expect(storeFiles(dir)).toHaveLength(1);
    });

    it('a cache folder it cannot write to costs the store, not the lint', () => {
      const dir = temporary('dispatch-lint-cache-');
      writeFileSync(join(dir, 'facts'), 'a file where the folder should be');
      const cache = new FactsCache(dir, '1.0.0', {}, 'scope');
      const key = cache.keyOf(file('on: push\n'));
      expect(cache.get(key, undefined)).toBeUndefined();
      expect(() => cache.set(key, facts('push'), [])).not.toThrow();
      expect(() => cache.save()).not.toThrow();
      expect(new FactsCache(dir, '1.0.0', {}, 'scope').get(key, undefined)).toBeUndefined();
    });
  });
});
