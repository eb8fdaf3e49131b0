// `npm start`: lint the bundled example organisations, as a new user would, and show what the linter finds.
// The examples are meant to have findings, so exit status 1 (findings) is the expected outcome here; a scan
// that could not complete (2) still fails.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const examples = ['fixtures/reasonkit', 'fixtures/market-data-pending', 'fixtures/market-data-fixed'];
let worst = 0;
for (const example of examples) {
  console.log(`\n$ dispatch-lint ${example}`);
  const run = spawnSync(process.execPath, ['bin/dispatch-lint.js', example], { cwd: root, stdio: 'inherit' });
  worst = Math.max(worst, run.status ?? 2);
}
if (worst >= 2) process.exitCode = 2;
else console.log('\n(market-data-pending is the state its dispatch summary calls pending; market-data-fixed is the same org with the checklist done.)');
