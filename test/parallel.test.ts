/** Worker-thread extraction gives the same report as the main thread, byte for byte. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/config.js';
import { formatJson } from '../src/report/json.js';
import { corpusRoot, projectRoot } from './support/lint.js';

describe('worker threads', () => {
  it('extract the fixtures and the corpus to the same report as one thread', async () => {
    // Workers load the built files (dist/), so this goes through the build as users do.
    const { lint } = (await import(join(projectRoot, 'dist', 'src', 'engine.js'))) as typeof import('../src/engine.js');
    const paths = [join(projectRoot, 'fixtures', 'market-data-pending'), join(projectRoot, 'fixtures', 'reasonkit')];
    const all = [...paths, join(corpusRoot, 'harmony-labs'), join(corpusRoot, 'gitkb')];
    const run = async (workers: number) => formatJson((await lint({ paths: all.filter((path) => !path.startsWith(corpusRoot) || existsSync(path)), cwd: projectRoot, config: defaultConfig(), workers })).report);
    expect(await run(2)).toBe(await run(0));
  });
});
