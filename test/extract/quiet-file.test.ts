/**
 * The fast path for files that provably hold no dispatch fact must give exactly the facts the full parse
 * gives: checked on every fixture and corpus workflow, and on the shapes that must fall back.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQuiet } from '../../src/extract/quiet-file.js';
import { extractWorkflow } from '../../src/extract/workflow.js';
import { corpusRoot, projectRoot } from '../support/lint.js';

function workflowFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.github\/workflows\/[^/]+\.ya?ml$/.test(path)) found.push(path);
    }
  };
  walk(root);
  return found;
}

const same = (text: string) => {
  const file = { repo: 'acme/api', path: '.github/workflows/w.yml', text };
  expect(extractWorkflow(file)).toEqual(extractWorkflow(file, { fullParse: true }));
};

describe('quiet files', () => {
  it('give the same facts as the full parse, for every fixture and corpus workflow', () => {
    const files = [...workflowFiles(join(projectRoot, 'fixtures')), ...workflowFiles(corpusRoot)];
    let quiet = 0;
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      if (isQuiet(text)) quiet++;
      same(text);
    }
    expect(quiet).toBeGreaterThan(50);
  });

  it('fall back to the full parse where it must decide', () => {
    same('on: push\njobs:\n  a: [unclosed\n');
    same('on: 42\njobs: {}\n');
    same('name: x\njobs: {}\n');
    same('- a\n- b\n');
    same('on:\n  workflow_dispatch:\n    inputs:\n      v:\n        required: true\njobs: {}\n');
    same('on: push\non: pull_request\njobs: {}\n');
    same('"on": [push, workflow_dispatch]\nname: ok\njobs: {}\n');
    same('true:\n  workflow_dispatch:\njobs: {}\n');
    same('on: push\n---\non: push\n');
  });

  it('fall back where js-yaml and yaml read the text differently, or the full parse would stop at a limit (found by the fuzz test)', () => {
    same('on: push\rname: cr-only\rjobs: {}\r');
    same('on: 1e309\njobs: {}\n');
    same('on: {? [push] : x}\njobs: {}\n');
    same('on:\n  ? [push]\n  : x\njobs: {}\n');
    same('true: >-\n  workflow_dispatch\n');
    same('on: |\n  push\njobs: {}\n');
    same('x: &x {a: 1}\ny:\n  <<: *x\non: push\njobs: {}\n');
    same('on: [push, 1e309]\njobs: {}\n');
    same('on:\n  1e309:\njobs: {}\n');
    same('name: 1e309\non: push\njobs: {}\n');
    same("on: push\nname: 'a'#b\njobs: {}\n");
    same('on: push\nname: "a"#b\njobs: {}\n');
    same('on: [push]#b\njobs: {}\n');
    same('on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ x\n');
    same(`on: push\nx: ${'['.repeat(100)}${']'.repeat(100)}\n`);
    same(`on: push\nx:\n  ${'- '.repeat(100)}y\n`);
    same(`on: push\n${['l0: &a0 [lol]', ...Array.from({ length: 4 }, (_, i) => `l${i + 1}: &a${i + 1} [${Array(7).fill(`*a${i}`).join(', ')}]`)].join('\n')}\njobs: {}\n`);
    same(`on: push\n${['l0: &a0 [lol]', ...Array.from({ length: 6 }, (_, i) => `l${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`)].join('\n')}\njobs: {}\n`);
  });
});
