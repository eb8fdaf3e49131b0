/**
 * parseDocumentCapped (src/yaml/capped-parse.ts) must be parseDocument wherever a file has no more than
 * MAX_COUNTED_ERRORS top-level syntax errors (same errors, same order, same positions, same tree), and past that
 * must keep the first errors as parseDocument lists them and say it stopped counting.
 */
import { describe, expect, it } from 'vitest';
import { isNode, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { corpusWorkflows, createFuzzer } from '../../bench/fuzz/mutate.js';
import { MAX_COUNTED_ERRORS, parseDocumentCapped } from '../../src/yaml/capped-parse.js';
import { isStackOverflow } from '../../src/extract/limits.js';
import { corpusRoot } from '../support/lint.js';

/** Every node's kind, range and scalar value, in document order (aliases not followed, so a billion laughs is cheap). */
function nodes(doc: Document): string[] {
  const seen: string[] = [];
  visit(doc, (_key, node) => {
    if (isNode(node)) seen.push(`${node.constructor.name} ${node.range?.join(',')} ${isScalar(node) ? String(node.value) : ''}`);
  });
  return seen;
}

function bothWays(text: string) {
  const referenceLines = new LineCounter();
  const reference = parseDocument(text, { lineCounter: referenceLines, prettyErrors: false, keepSourceTokens: false });
  const cappedLines = new LineCounter();
  const capped = parseDocumentCapped(text, cappedLines, { keepSourceTokens: false });
  const errors = (list: { code: string; pos: [number, number]; message: string }[]) => list.map((error) => `${error.code} ${error.pos.join(',')} ${error.message}`);
  return { reference, referenceLines, capped, cappedLines, errors };
}

describe('the capped YAML parse', () => {
  const corpus = corpusWorkflows(corpusRoot);
  it.skipIf(corpus.missing !== undefined)('is parseDocument on every fuzz mutation of the corpus (seed 13)', () => {
    const fuzzer = createFuzzer({ seed: 13, files: corpus.files, maxBytes: 20_000 });
    let withErrors = 0;
    for (let index = 0; index < 600; index++) {
      const { text, kinds } = fuzzer.next();
      const { reference, referenceLines, capped, cappedLines, errors } = bothWays(text);
      const name = `case ${index} [${kinds.join(', ')}]`;
      // Where yaml's own recursion runs out of stack depends on how deep the caller's stack already is (the capped
      // parse adds a generator frame); extraction never lets such files reach yaml (limits.ts textNestingBeyond).
      const overflowed = [...reference.errors, ...capped.doc.errors].some((error) => isStackOverflow(error));
      if (capped.stoppedCounting || overflowed) continue;
      if (reference.errors.length > 0) withErrors++;
      expect(errors(capped.doc.errors), name).toEqual(errors(reference.errors));
      expect(nodes(capped.doc), name).toEqual(nodes(reference));
      expect(cappedLines.lineStarts, name).toEqual(referenceLines.lineStarts);
    }
    expect(withErrors).toBeGreaterThan(50);
  });

  it('counts every error up to the cap, and past it lists the first ones and says it stopped', () => {
    for (const strays of [MAX_COUNTED_ERRORS - 1, MAX_COUNTED_ERRORS]) {
      const { reference, capped, errors } = bothWays(`x: ${'}'.repeat(strays)}\n`);
      expect(capped.stoppedCounting).toBe(false);
      expect(errors(capped.doc.errors)).toEqual(errors(reference.errors));
      expect(capped.doc.errors).toHaveLength(strays);
    }
    const { reference, capped, errors } = bothWays(`x: ${'}'.repeat(100_000)}\n`);
    expect(capped.stoppedCounting).toBe(true);
    expect(capped.doc.errors).toHaveLength(MAX_COUNTED_ERRORS);
    expect(errors(capped.doc.errors)).toEqual(errors(reference.errors).slice(0, MAX_COUNTED_ERRORS));
  });

  it('keeps errors from inside a document ahead of the strays after it, as parseDocument orders them', () => {
    const text = `a: {x: 1, x: 2}\nb: 1\n  c: 2\n${'}'.repeat(3000)}\n`;
    const { reference, capped, errors } = bothWays(text);
    expect(capped.stoppedCounting).toBe(true);
    expect(errors(capped.doc.errors).slice(0, 4).map((error) => error.split(' ')[0])).toEqual(['DUPLICATE_KEY', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY', 'UNEXPECTED_TOKEN']);
    expect(errors(capped.doc.errors)).toEqual(errors(reference.errors).slice(0, capped.doc.errors.length));
  });

  it('reports a second document as parseDocument does', () => {
    const { reference, capped, errors } = bothWays('a: 1\n---\nb: 2\n---\nc: 3\n');
    expect(errors(capped.doc.errors)).toEqual(errors(reference.errors));
    expect(capped.doc.errors.map((error) => error.code)).toEqual(['MULTIPLE_DOCS']);
  });
});
