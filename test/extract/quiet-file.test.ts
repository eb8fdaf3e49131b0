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
});
