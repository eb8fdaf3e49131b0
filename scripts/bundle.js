// The second half of `npm run build`: bundles the compiled CLI (dist/src/cli.js) and its extraction worker into
// dist/bundle/, which bin/dispatch-lint.js runs. Node 20 spends most of a small lint resolving and compiling the
// ~230 modules of dist/ and its dependencies one by one (node 20 has no compile cache); a few bundled files start
// in about half the time. tsc stays the compiler and the type checker: esbuild only joins what tsc emitted.
//
// GitHub mode's modules stay separate chunks, loaded only in GitHub mode (engine.ts imports them dynamically);
// ajv and cli-table3 stay outside the bundle (createRequire at their point of use), so a local lint never loads them.
//
// DISPATCH_LINT_ESBUILD names esbuild's module where it is not in node_modules (action/install.sh installs the
// build tools in a folder of their own).
import { rmSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const esbuild = await import(process.env.DISPATCH_LINT_ESBUILD ? pathToFileURL(process.env.DISPATCH_LINT_ESBUILD).href : 'esbuild');
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['dist/src/cli.js', 'dist/src/extract/extract-worker.js'],
  outdir,
  entryNames: '[name]',
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are resolved as node resolves them, so some are CommonJS (yaml's node build), and they `require`
  // node builtins, which an ES module bundle has no `require` for.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
