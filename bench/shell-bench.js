#!/usr/bin/env node
/**
 * `node bench/shell-bench.js`: how long one huge `run:` line takes, the case issue 7 found quadratic (a
 * 16,000-command `&&` chain took 16 s; a 1 MB line 106 s). It prints; it does not judge. For each input it
 * times the shell reader alone, the whole extraction of the workflow file, and a full lint of a one-repository
 * org holding it (in a child process, like lint-bench.js), and prints how many sends each found.
 *
 *   node bench/shell-bench.js [--runs 3]
 *
 * Build first (`npm run build`). Inputs are written to .bench/shell-* (gitignored).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN_LINT = fileURLToPath(new URL('run-lint.js', import.meta.url));
const COMMAND = 'gh api repos/acme/target/dispatches -f event_type=built';

const { parseShellScript } = await import(new URL('../dist/src/extract/shell.js', import.meta.url).href);
const { extractWorkflow } = await import(new URL('../dist/src/extract/workflow.js', import.meta.url).href);

function workflowWith(script) {
  return `on: push\njobs:\n  notify:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${script}\n`;
}

function best(runs, fn) {
  let fastest = Infinity;
  let result;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    result = fn();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return { ms: fastest, result };
}

function lintOnce(dir) {
  const child = spawnSync(process.execPath, [RUN_LINT, dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (child.status !== 0) throw new Error(`run-lint failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop());
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const cases = [
  { name: '16,000 commands joined by &&', script: Array(16_000).fill(COMMAND).join(' && ') },
  { name: '1 MB line of && commands', script: Array(Math.floor(1_000_000 / (COMMAND.length + 4))).fill(COMMAND).join(' && ') },
  // Every send in a loop body reads the loop's list: sends x values must not be multiplied.
  {
    name: '8,000-value loop, 16,000 sends',
    script: `for r in ${Array.from({ length: 8_000 }, (_, i) => `r${i}`).join(' ')}; do ${Array(16_000).fill('gh api repos/acme/$r/dispatches -f event_type=x').join(' && ')}; done`,
  },
];

console.log(`shell bench: Node ${process.version}, best of ${runs}`);
console.log(['input'.padEnd(32), 'chars'.padStart(10), 'reader ms'.padStart(10), 'extract ms'.padStart(11), 'lint ms'.padStart(9), 'sends'.padStart(7)].join(' '));
for (const { name, script } of cases) {
  const text = workflowWith(script);
  const reader = best(runs, () => parseShellScript(script));
  const extract = best(runs, () => extractWorkflow({ repo: 'acme/source', path: '.github/workflows/notify.yml', text }));
  const dir = join(ROOT, '.bench', `shell-${script.length}`, 'acme');
  mkdirSync(join(dir, 'source', '.github', 'workflows'), { recursive: true });
  writeFileSync(join(dir, 'source', '.github', 'workflows', 'notify.yml'), text);
  const lint = best(runs, () => lintOnce(dir));
  console.log(
    [
      name.padEnd(32),
      String(script.length).padStart(10),
      reader.ms.toFixed(0).padStart(10),
      extract.ms.toFixed(0).padStart(11),
      lint.result.wallMs.toFixed(0).padStart(9),
      `${reader.result.sends.length}/${extract.result.sends.length}`.padStart(7),
    ].join(' '),
  );
}
