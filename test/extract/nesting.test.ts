import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { MAX_PARSED_DEPTH, textNestingBeyond } from '../../src/extract/limits.js';
import { extractWorkflow } from '../../src/extract/workflow.js';

const file = (text: string) => ({ repo: 'acme/app', path: '.github/workflows/x.yml', text });

describe('nesting judged from the text, before any parser recurses', () => {
  it('bounds block indentation, inline indicators and flow brackets, skipping block scalars, quotes and comments', () => {
    expect(textNestingBeyond('a:\n  b:\n    c: 1\n', 2)).toBe(12); // `c` opens the third level
    expect(textNestingBeyond('a:\n  b:\n    c: 1\n', 3)).toBeUndefined();
    expect(textNestingBeyond('- - - x\n', 2)).toBe(2); // the second dash: one level for the line, one per dash
    expect(textNestingBeyond('a: [[[1]]]\n', 3)).toBe(5);
    expect(textNestingBeyond(`run: |\n${Array.from({ length: 50 }, (_, i) => `${' '.repeat(i + 2)}x`).join('\n')}\nb: 1\n`, 5)).toBeUndefined();
    // The text of `- run: |` is indented 10; `env:` at 8 is the step's next key, and its flow list is counted.
    expect(textNestingBeyond(`steps:\n  - run: |\n      echo\n    env:\n      A: ${'['.repeat(10)}x\n`, 8)).toBe(51);
    expect(textNestingBeyond(`a: '${'['.repeat(100)}'\nb: "${'{'.repeat(100)}" # ${'['.repeat(100)}\n`, 5)).toBeUndefined();
  });

  it('a YAML error that quotes "call stack" from the file is a YAML error, not a stack overflow', () => {
    const facts = extractWorkflow({ repo: 'acme/web', path: '.github/workflows/w.yml', text: 'on: push\nx: }\ncall stack\n' });
    expect(facts.syntaxErrors.map((error) => error.message)).toEqual(['invalid YAML: Unexpected flow-map-end token in YAML stream: "}"', 'invalid YAML: Unexpected scalar token in YAML stream: "call stack"']);
  });

  it('gives the same verdict and place whether or not the YAML parser would run out of stack here', () => {
    const deep = `on: push\njobs:\n  a:\n    steps:\n      ${'- '.repeat(2_000)}x\n`;
    // Four levels open at the line (on, jobs, a, steps): the 61st dash, at column 7 + 60 * 2, is the 65th level.
    const cold = extractWorkflow(file(deep));
    // Warm the parser's JIT with deep lists: warmed, `yaml` parses depths that overflow it cold.
    for (let i = 0; i < 50; i++) parseDocument(`${'- '.repeat(MAX_PARSED_DEPTH)}x\n`);
    expect(extractWorkflow(file(deep))).toEqual(cold);
    expect(extractWorkflow(file(deep), { fullParse: true })).toEqual(cold);
    expect(cold.syntaxErrors).toEqual([
      { message: 'the file nests YAML more than 64 levels deep, beyond what dispatch-lint reads, so it was not checked', position: { line: 5, column: 127, endLine: 5, endColumn: 128 } },
    ]);
  });

  it('counts every bracket where a lone CR leaves the lines unknown (a [deep-flow, mixed-eol] fuzz case)', () => {
    // The line starting with CR looks blank to the text bound; `yaml` reads its 300 flow levels, where it may run
    // out of stack (in a worker thread) or not (here), and report the file's YAML error or the overflow.
    const deep = `on: push\njobs:\n  a:\n\r    x: ${'{a: '.repeat(300)}1${'}'.repeat(300)}\n  b: c: d\n`;
    const facts = extractWorkflow(file(deep));
    expect(extractWorkflow(file(deep), { fullParse: true })).toEqual(facts);
    // The 65th bracket: `{a: ` is 4 characters, the first at column 9 of line 4.
    expect(facts.syntaxErrors).toEqual([
      { message: 'the file nests YAML more than 64 levels deep, beyond what dispatch-lint reads, so it was not checked', position: { line: 4, column: 9 + 64 * 4, endLine: 4, endColumn: 10 + 64 * 4 } },
    ]);
  });
});
