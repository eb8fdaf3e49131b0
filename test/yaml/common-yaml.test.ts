/**
 * The common-YAML reader (src/yaml/common-yaml.ts) must build exactly the tree `yaml` builds (node kinds, values
 * and their types, scalar styles, flow flags, ranges, line starts) wherever it accepts a file, and must give
 * up wherever `yaml` reports a problem. Checked on every fixture and corpus workflow, on fuzz mutations of the
 * corpus, and on generated documents made of the shapes whose ranges are subtle (comments after a collection,
 * empty values, block scalars with blank lines).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { corpusWorkflows, createFuzzer } from '../../bench/fuzz/mutate.js';
import { createRandom } from '../../bench/lib/random.js';
import { parseCommonYaml } from '../../src/yaml/common-yaml.js';
import { corpusRoot, projectRoot } from '../support/lint.js';

type Shape = unknown;

function shape(node: unknown): Shape {
  if (isMap(node)) return { map: node.range?.slice(0, 2), flow: Boolean(node.flow), items: node.items.map((pair) => [shape(pair.key), shape(pair.value)]) };
  if (isSeq(node)) return { seq: node.range?.slice(0, 2), flow: Boolean(node.flow), items: node.items.map(shape) };
  if (isScalar(node)) return { scalar: node.range?.slice(0, 2), style: node.type, type: typeof node.value, value: node.value };
  return { other: String(node) };
}

/** Undefined when the reader gives up; otherwise whether its tree is yaml's, with both for the message. */
function compare(text: string): { equal: boolean; mine: string; yaml: string } | undefined {
  const lineCounter = new LineCounter();
  const mine = parseCommonYaml(text, lineCounter);
  if (!mine) return undefined;
  const reference = new LineCounter();
  const doc = parseDocument(text, { lineCounter: reference });
  const theirs = doc.errors.length > 0 || doc.warnings.length > 0 ? `problems: ${[...doc.errors, ...doc.warnings].map((e) => e.message).join('; ')}` : JSON.stringify({ tree: shape(doc.contents), lines: reference.lineStarts });
  const ours = JSON.stringify({ tree: shape(mine), lines: lineCounter.lineStarts });
  return { equal: ours === theirs, mine: ours, yaml: theirs };
}

function yamlFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder)) {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) found.push(...yamlFiles(path));
    else if (/\.ya?ml$/i.test(entry)) found.push(path);
  }
  return found;
}

function differences(texts: { name: string; text: string }[]): { accepted: number; differing: string[]; acceptedTexts: string[] } {
  let accepted = 0;
  const differing: string[] = [];
  const acceptedTexts: string[] = [];
  for (const { name, text } of texts) {
    const result = compare(text);
    if (!result) continue;
    accepted++;
    acceptedTexts.push(text);
    if (!result.equal) differing.push(`${name}\n  common: ${result.mine.slice(0, 400)}\n  yaml:   ${result.yaml.slice(0, 400)}`);
  }
  return { accepted, differing, acceptedTexts };
}

describe('the common-YAML reader', () => {
  it('builds yaml’s tree for every fixture and test workflow it accepts, and accepts nearly all', () => {
    const files = [...yamlFiles(join(projectRoot, 'fixtures')), ...yamlFiles(join(projectRoot, 'examples'))];
    const result = differences(files.map((file) => ({ name: file, text: readFileSync(file, 'utf8') })));
    expect(result.differing).toEqual([]);
    expect(result.accepted).toBeGreaterThan(files.length * 0.9);
  });

  const corpus = corpusWorkflows(corpusRoot);
  it.skipIf(corpus.missing !== undefined)('builds yaml’s tree for every corpus workflow it accepts (most of them)', () => {
    const result = differences(corpus.files.map((file) => ({ name: file.source, text: file.text })));
    expect(result.differing).toEqual([]);
    expect(result.accepted).toBeGreaterThan(corpus.files.length * 0.9);
  });

  it.skipIf(corpus.missing !== undefined)('builds yaml’s tree for every fuzz mutation of the corpus it accepts (seed 11)', () => {
    const fuzzer = createFuzzer({ seed: 11, files: corpus.files, maxBytes: 20_000 });
    const cases = Array.from({ length: 4000 }, (_, index) => {
      const fuzzCase = fuzzer.next();
      return { name: `case ${index} [${fuzzCase.kinds.join(', ')}] of ${fuzzCase.source}`, text: fuzzCase.text };
    });
    const result = differences(cases);
    expect(result.differing).toEqual([]);
    expect(result.accepted).toBeGreaterThan(400);
  });

  it('builds yaml’s tree for generated documents of the subtle shapes (seed 5)', () => {
    const random = createRandom(5);
    const pick = <T>(items: readonly T[]): T => items[random.int(0, items.length - 1)] as T;
    const scalars = ['x', 'a b', '1', '2.50', 'true', 'null', '~', "'q'", '"d\\"q"', '"\\u00e9"', 'v # c', '[a, b]', '{ k: v }', '[]', '[{a: 1}, {b: [x, "y"]} ,[]]', '{ k: [1, 2] , j: {}, l: { m: n } }', '[[[a]]]', '[[[[a]]]]', 'echo ${{ inputs.x }}', '-v', 'http://h:1/p', '# only a comment'];
    // A value on the line under its key: plain ones the reader takes, the rest it must leave to yaml.
    const nextLineScalars = ['make e2e-test', 'echo hi  ', 'v # c', '1', 'true', '"q"', '[a]', '- x', 'k: v', '|', '&a x', '-v', 'a:b'];
    const comment = (indent: number) => pick(['', '', `${' '.repeat(indent)}# c\n`, '\n', `${' '.repeat(Math.max(0, indent - 2))}# l\n`, `${' '.repeat(indent + 2)}# m\n`, `${' '.repeat(indent)}\n`]);
    const block = (indent: number) => {
      const header = pick(['|', '|-', '>', '>-', '| # c']);
      // Blank lines of a few spaces, and of more spaces than the text is indented (text of a literal scalar).
      const lines = Array.from({ length: random.int(1, 4) }, () => pick(['t', 'u v', '  more', '', ' ', `${' '.repeat(random.int(0, 3))}`, ' '.repeat(indent + 2 + random.int(1, 3))]));
      if (lines.every((line) => line.trim() === '')) lines.push('t');
      return `${header}\n${lines.map((line) => (line.trim() === '' ? line : ' '.repeat(indent + 2) + line)).join('\n')}\n`;
    };
    // A flow list or mapping over several lines, prettier's way and others (some of them errors to yaml).
    const flowLines = (indent: number): string => {
      const map = random.int(0, 2) === 0;
      const itemIndent = () => ' '.repeat(indent + pick([0, 1, 2, 4]));
      const items = Array.from({ length: random.int(0, 3) }, (_, index) => `${itemIndent()}${map ? `k${index}: ` : ''}${pick(['a', '"q"', '[b, c]', '{ d: e }', '${{ x }}', 'f g'])}${pick([',', ',', '', ' ,'])}\n${pick(['', '', '\n', `${itemIndent()}# c\n`])}`).join('');
      const [open, close] = map ? ['{', '}'] : ['[', ']'];
      return pick([`\n${' '.repeat(indent + 2)}${open}\n${items}${' '.repeat(indent + pick([0, 2]))}${close}\n`, ` ${open}${pick(['', ' a,'])}\n${items}${' '.repeat(indent + pick([0, 2]))}${close}${pick(['', ' # t'])}\n`]);
    };
    const value = (indent: number, depth: number): string => {
      const kind = depth > 2 ? random.int(0, 1) : random.int(0, 6);
      if (kind === 0) return ` ${pick(scalars)}\n${comment(indent + 2)}`;
      if (kind === 6) return `${flowLines(indent)}${comment(indent + 2)}`;
      if (kind === 5) return `\n${' '.repeat(indent + pick([1, 2, 4]))}${pick(nextLineScalars)}\n${comment(indent + 2)}${pick(['', `${' '.repeat(indent + 4)}more\n`])}`;
      if (kind === 1) return ` ${block(indent)}${comment(indent)}`;
      if (kind === 2) return `\n${map(indent + 2, depth + 1)}`;
      if (kind === 3) return `\n${seq(indent + pick([0, 2]), depth + 1)}`;
      return `\n${comment(indent)}`;
    };
    const map = (indent: number, depth: number): string =>
      Array.from({ length: random.int(1, 3) }, (_, index) => `${' '.repeat(indent)}k${index}:${value(indent, depth)}`).join('');
    const seq = (indent: number, depth: number): string =>
      Array.from({ length: random.int(1, 3) }, () => {
        const item = random.int(0, 2);
        if (item === 0) return `${' '.repeat(indent)}- ${pick(scalars)}\n${comment(indent)}`;
        if (item === 1 && random.int(0, 2) === 0) return `${' '.repeat(indent)}-\n${' '.repeat(indent + 2)}${pick(nextLineScalars)}\n${comment(indent)}`;
        return `${' '.repeat(indent)}- ${map(indent + 2, depth + 1).trimStart()}${comment(indent + 2)}`;
      }).join('');
    const documents = Array.from({ length: 6000 }, (_, index) => ({ name: `generated ${index}`, text: `${pick(['', '', '---\n', '--- # d\n'])}${comment(0)}${map(0, 0)}${pick(['', '\n', '# end', '  # end\n'])}` }));
    const result = differences(documents);
    expect(result.differing).toEqual([]);
    expect(result.accepted).toBeGreaterThan(1200);
    // Each shape the reader reads beyond one line was met, and read, many times.
    expect(result.acceptedTexts.filter((text) => /[[{]\n/.test(text)).length).toBeGreaterThan(200);
    expect(result.acceptedTexts.filter((text) => text.startsWith('---')).length).toBeGreaterThan(500);
    expect(result.acceptedTexts.filter((text) => text.includes(': # only')).length).toBeGreaterThan(10);
    expect(result.acceptedTexts.filter((text) => /^ *\S.*\n {4,}# m$/m.test(text)).length).toBeGreaterThan(200);
    expect(result.acceptedTexts.filter((text) => /\|-?\n(?:.*\n)*? {5,}\n/.test(text)).length).toBeGreaterThan(30);
  });

  it('gives up, leaving the line counter untouched, on what it does not read', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: b\n  c\n', 'a: "b\n  c"\n', 'a:\tb\n', 'a: b\r\nc: d\r\n', `"${'x'.repeat(1030)}": v\n`, `'k'${' '.repeat(1030)}: v\n`, `r:\n  - "${'x'.repeat(1030)}": v\n`, `${Array.from({ length: 20 }, (_, index) => `k${index}: 1\n`).join('')}k3: 2\n`, `a: {${Array.from({ length: 20 }, (_, index) => `k${index}: 1, `).join('')}k19: 2}\n`, '---\na: 1\n---\nb: 2\n', 'a: 1\n...\n', '--- |\n  t\n', 'a: [b\n  c]\n', 'a: [b, # c\n  d]\n', 'a:\n  b: [\n  c]\n', 'a: 1\na: 2\n', 'a: |+\n  t\n', 'a: b: c\n', '? a\n: b\n', '- a\n', 'a: +1\n']) {
      const lineCounter = new LineCounter();
      expect(parseCommonYaml(text, lineCounter), JSON.stringify(text)).toBeUndefined();
      expect(lineCounter.lineStarts).toEqual([]);
    }
  });
});
