import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // The CLI keeps a facts cache in the user's cache folder by default: tests (and the CLIs they start) use one of
    // their own, so they never read or write the user's.
    env: { XDG_CACHE_HOME: join(tmpdir(), `dispatch-lint-test-cache-${process.pid}`) },
    // @actions/workflow-parser imports its JSON schemas without `with { type: 'json' }`, which Node refuses;
    // inlined, Vite loads them.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
  },
});
