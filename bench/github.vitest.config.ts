import { defineConfig } from 'vitest/config';

// `npm run bench:github` only: vitest runs the TypeScript benchmark (its fake GitHub lives in test/support).
export default defineConfig({
  test: { include: ['bench/github-bench.run.ts'], testTimeout: 600_000, reporters: ['dot'] },
});
