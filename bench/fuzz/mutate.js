/**
 * Mutated workflow files for the fuzz test (test/fuzz.test.ts) and the long run (npm run fuzz): real files of
 * ../shared/corpus, bent in the ways issue 7 found hurt (byte flips, truncation, indentation, type swaps,
 * anchors and alias bombs, tags, duplicate keys, BOM, CRLF and CR-only lines, NUL, deep nesting, huge strings,
 * odd `on:` values, long chains of dispatch commands), plus whole files of the quadratic shapes.
 *
 * Plain JavaScript, so the runner can use it without a TypeScript loader; mutate.d.ts gives the test its types.
 * Every choice comes from the seeded random source, so a seed and a case number name one input everywhere.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRandom } from '../lib/random.js';

/**
 * Every `OWNER/REPO/.github/workflows/*.yml` under `root`, or why there are none (no corpus on this machine).
 * @param {string} root
 */
export function corpusWorkflows(root) {
  if (!existsSync(root)) return { files: [], missing: `${root} does not exist` };
  const files = [];
  for (const owner of readdirSync(root).sort()) {
    if (!isFolder(join(root, owner))) continue;
    for (const repo of readdirSync(join(root, owner)).sort()) {
      const folder = join(root, owner, repo, '.github', 'workflows');
      if (!isFolder(folder)) continue;
      for (const name of readdirSync(folder).sort()) {
        const path = join(folder, name);
        if (/\.ya?ml$/.test(name) && statSync(path).isFile()) files.push({ source: relative(root, path), text: readFileSync(path, 'utf8') });
      }
    }
  }
  return files.length > 0 ? { files } : { files, missing: `${root} holds no OWNER/REPO/.github/workflows/*.yml` };
}

function isFolder(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A sender whose payload, request body or inputs a generator fills in. */
const SENDERS = {
  'client-payload': (json) =>
    `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: \${{ secrets.DISPATCH_TOKEN }}\n          repository: acme/deploy\n          event-type: deploy\n          client-payload: '${json}'\n`,
  'curl-d': (json) =>
    `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          curl -X POST -H "Authorization: token \${{ secrets.DISPATCH_TOKEN }}" https://api.github.com/repos/acme/deploy/dispatches -d '{"event_type": "deploy", "client_payload": ${json}}'\n`,
  'gh-api-input': (json) =>
    `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          gh api repos/acme/deploy/dispatches --input - <<'EOF'\n          {"event_type": "deploy", "client_payload": ${json}}\n          EOF\n        env:\n          GH_TOKEN: \${{ secrets.DISPATCH_TOKEN }}\n`,
  'workflow-dispatch-inputs': (json) =>
    `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: benc-uk/workflow-dispatch@v1\n        with:\n          workflow: deploy.yml\n          repo: acme/deploy\n          token: \${{ secrets.DISPATCH_TOKEN }}\n          inputs: '${json}'\n`,
  'github-script': (json) =>
    `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          github-token: \${{ secrets.DISPATCH_TOKEN }}\n          script: |\n            await github.rest.repos.createDispatchEvent({ owner: 'acme', repo: 'deploy', event_type: 'deploy', client_payload: ${json} })\n`,
};

const TAGS = ['!!merge', '!!binary', '!!map', '!!seq', '!!str', '!!int', '!!float', '!!bool', '!!null', '!!set', '!!omap', '!!timestamp', '!custom', '!', '!<tag:example.com,2000:x>', '!!python/object'];
const ODD_ON = ['1e309', '-1e309', '.inf', '-.inf', '.nan', '0x1F', '0o17', '1_000', '~', 'null', 'true', 'yes', 'no', '2001-12-14', '[]', '{}', '""', "''", '[push, 1e309]', '{push: 1e309}', '[[push]]', '{? [push] : x}', '!!binary aGVsbG8=', '*nothing', '&a push', '|\n  push', '>-\n  workflow_dispatch'];
const ON_KEYS = ['on', 'true', '"on"', "'on'", 'On', 'ON', 'y', '? on\n', '!!str on', '!!bool on'];
const SCALARS = ['', '~', 'null', '0', '-1', '1e309', '.nan', 'true', 'no', '"quoted"', "'single'", '"\\u0000"', '"\\uD800"', '[]', '{}', '[a, b]', '{a: 1}', '{a: [b, {c: d}]}', '- a', '|', '>', '&x', '*x', '${{ }}', '${{', '}}', '${{ github.event.client_payload }}', '${{ toJSON(github) }}', '#', ':', '- - -', '? a', 'a: b: c', '%YAML 1.1', '---', '...'];
const FLIP_CHARS = ':-[]{}&*!|>\'"#%@`,?\\\n\t \r\u0000\u00a0\u2028\ufeff\ud800é';

/** @typedef {{ kinds: string[], text: string, source: string }} FuzzCase */

/**
 * Mutations of one file's text; each takes the text and the random source and returns the new text.
 * @type {Record<string, (text: string, random: ReturnType<typeof createRandom>) => string>}
 */
export const MUTATIONS = {
  'byte-flip': (text, random) => {
    const chars = [...text];
    for (let n = random.int(1, 8); n > 0 && chars.length > 0; n--) {
      const at = random.int(0, chars.length - 1);
      chars[at] = random.chance(0.8) ? random.pick([...FLIP_CHARS]) : String.fromCharCode(random.int(0, 0xffff));
    }
    return chars.join('');
  },
  truncate: (text, random) => text.slice(0, random.int(0, text.length)),
  indentation: (text, random) =>
    mapSomeLines(text, random, (line) => {
      const roll = random.int(0, 3);
      if (roll === 0) return line.replace(/^ {1,4}/, '');
      if (roll === 1) return ' '.repeat(random.int(1, 4)) + line;
      if (roll === 2) return line.replace(/^( *)/, (spaces) => '\t'.repeat(Math.ceil(spaces.length / 2)));
      return line.trimStart();
    }),
  'type-swap': (text, random) =>
    mapSomeLines(text, random, (line) => {
      const pair = /^(\s*(?:- )?)([^\s:#][^:#]*):(?:\s+(.*))?$/.exec(line);
      if (pair) return `${pair[1]}${pair[2]}: ${random.pick(SCALARS)}`;
      const item = /^(\s*)- (.*)$/.exec(line);
      if (item) return `${item[1]}${random.pick(['', 'k: ', '- ', '[', '{'])}${item[2]}`;
      return line;
    }),
  'anchor-alias': (text, random) => {
    const lines = text.split('\n');
    const keyed = lines.map((line, index) => (/^\s*(?:- )?[\w-]+:\s*\S/.test(line) ? index : -1)).filter((index) => index >= 0);
    if (keyed.length === 0) return `a: &a [x]\nb: *a\n${text}`;
    const anchor = random.pick(keyed);
    lines[anchor] = (lines[anchor] ?? '').replace(/:\s*/, ': &anc ');
    for (let n = random.int(1, 3); n > 0; n--) {
      const at = random.pick(keyed);
      lines[at] = random.chance(0.2) ? `${lines[at]} *anc` : (lines[at] ?? '').replace(/:\s*.*$/, random.pick([': *anc', ': *missing', ': [*anc, *anc]', ': {k: *anc}']));
    }
    return lines.join('\n');
  },
  'alias-bomb': (text, random) => {
    const levels = random.int(3, random.maxBytes < 100_000 ? 6 : 12);
    const width = random.int(2, 10);
    const bomb = ['lol0: &a0 [lol]'];
    for (let level = 1; level < levels; level++) bomb.push(`lol${level}: &a${level} [${Array.from({ length: width }, () => `*a${level - 1}`).join(', ')}]`);
    const where = random.pick(['top', 'env', 'matrix']);
    const nested = (key, tail) => text.replace(new RegExp(`^(\\s*)${key}:\\s*$`, 'm'), (_, spaces) => `${spaces}${key}:\n${bomb.map((line) => `${spaces}  ${line}`).join('\n')}${tail(spaces)}`);
    const placed = where === 'env' ? nested('env', () => '') : where === 'matrix' ? nested('matrix', (spaces) => `\n${spaces}  include: *a${levels - 1}`) : text;
    return placed === text ? `${bomb.join('\n')}\n${text}` : placed;
  },
  tag: (text, random) =>
    mapSomeLines(text, random, (line) => {
      const tag = random.pick(TAGS);
      if (random.chance(0.3)) return line.replace(/^(\s*(?:- )?)/, `$1${tag} `);
      return line.replace(/:(\s+)(\S)/, `:$1${tag} $2`);
    }),
  'merge-key': (text, random) => {
    const lines = text.split('\n');
    const at = random.int(0, Math.max(0, lines.length - 1));
    const indent = /^(\s*)/.exec(lines[at] ?? '')?.[1] ?? '';
    const merge = random.pick(['<<: 1', '<<: [1, 2]', '<<: *a', '!!merge x: 1', '!!merge <<: [a]', '? !!merge k\n' + indent + ': v', '<<: {a: 1}', '<<: [{a: 1}, [b]]']);
    lines.splice(at, 0, `${indent}${merge}`);
    return lines.join('\n');
  },
  'matrix-merge': (text, random) =>
    `${text}\n  fuzz-matrix:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        include:\n          - ${random.pick(['!!merge a: 1', '<<: [1, 2]', '!!merge <<: x', '{ !!merge x: 1 }', '!!map [a, b]', '<<: *nope', '!!binary aGk='])}\n            r: deploy\n    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: \${{ secrets.DISPATCH_TOKEN }}\n          repository: acme/\${{ matrix.r }}\n          event-type: deploy\n`,
  'duplicate-key': (text, random) => {
    const lines = text.split('\n');
    const keyed = lines.map((line, index) => (/^\s*[\w-]+:/.test(line) ? index : -1)).filter((index) => index >= 0);
    if (keyed.length === 0) return `on: push\non: push\n${text}`;
    for (let n = random.int(1, 3); n > 0; n--) {
      const at = random.pick(keyed);
      lines.splice(at + 1, 0, lines[at] ?? '');
    }
    return lines.join('\n');
  },
  bom: (text) => `\ufeff${text}`,
  crlf: (text) => text.replace(/\n/g, '\r\n'),
  cr: (text) => text.replace(/\n/g, '\r'),
  'mixed-eol': (text, random) => text.replace(/\n/g, () => random.pick(['\n', '\r\n', '\r', '\n\r', '\u2028', '\u0085'])),
  nul: (text, random) => {
    const at = random.int(0, text.length);
    return text.slice(0, at) + '\u0000' + text.slice(at);
  },
  'deep-block': (text, random) => {
    const depth = deepish(random);
    return replaceSomeValue(text, random, `\n${'- '.repeat(depth)}x`) ?? `${text}\ndeep:\n  ${'- '.repeat(depth)}x\n`;
  },
  'deep-indent': (text, random) => {
    // Its size grows with the square of the depth: bounded so the file stays within maxBytes.
    const depth = Math.min(deepish(random), 2000, Math.floor(Math.sqrt(2 * random.maxBytes)));
    const lines = Array.from({ length: depth }, (_, level) => `${' '.repeat(level)}k${level}:`);
    return `${text}\n${lines.join('\n')} end\n`;
  },
  'deep-flow': (text, random) => {
    const depth = deepish(random);
    const open = random.pick(['[', '{a: ', '[{b: ']);
    const close = open === '[' ? ']' : open === '{a: ' ? '}' : '}]';
    const value = open.repeat(depth) + (random.chance(0.8) ? 'x' + close.repeat(depth) : 'x');
    return replaceSomeValue(text, random, ` ${value}`) ?? `${text}\ndeep: ${value}\n`;
  },
  'deep-json': (text, random) => {
    const depth = deepish(random);
    const open = random.pick(['[', '{"a": ']);
    const json = `{"v": ${open.repeat(depth)}1${(open === '[' ? ']' : '}').repeat(depth)}}`;
    return random.pick(Object.values(SENDERS))(random.chance(0.1) ? json.slice(0, random.int(1, json.length)) : json);
  },
  'deep-expression': (text, random) => {
    const depth = random.int(10, 3000);
    const expression = `\${{ ${'('.repeat(depth)}github.event.client_payload.v${')'.repeat(random.chance(0.8) ? depth : 0)} }}`;
    return replaceSomeValue(text, random, ` ${expression}`) ?? `${text}\nenv:\n  X: ${expression}\n`;
  },
  'huge-string': (text, random) => {
    const size = Math.min(random.pick([10_000, 100_000, 500_000, 1_100_000]), random.maxBytes);
    const unit = random.pick(['a', 'x ', '${{ ', '}}', '\\"', 'é', '"', "'", 'gh api repos/a/b/dispatches ']);
    const value = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
    return replaceSomeValue(text, random, random.chance(0.5) ? ` "${value}"` : ` ${value}`) ?? `${text}\nx: ${value}\n`;
  },
  'odd-on': (text, random) => {
    const value = random.pick(ODD_ON);
    const key = random.chance(0.3) ? random.pick(ON_KEYS) : 'on';
    const replaced = text.replace(/^(?:on|"on"|'on'|true):.*$/m, `${key}: ${value}`);
    return replaced === text ? `${key}: ${value}\n${text}` : replaced;
  },
  'dispatch-chain': (text, random) => {
    const count = Math.min(random.int(2, random.chance(0.1) ? 3000 : 200), Math.floor(random.maxBytes / 60));
    const command = random.pick([
      'gh api repos/acme/deploy/dispatches -f event_type=deploy',
      'gh api -X POST /repos/acme/deploy/dispatches --raw-field event_type=e${{ matrix.n }}',
      'gh workflow run deploy.yml -R acme/deploy -f v=1',
      'curl -d \'{"event_type":"deploy"}\' https://api.github.com/repos/acme/deploy/dispatches',
    ]);
    const joiner = random.pick([' && ', ' || ', ' ; ', ' | ', ' &&\\\n          ']);
    const run = Array.from({ length: count }, () => command).join(joiner);
    return `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          ${run}\n        env:\n          GH_TOKEN: \${{ secrets.DISPATCH_TOKEN }}\n`;
  },
  'splice-line': (text, random) => {
    const lines = text.split('\n');
    const from = random.int(0, Math.max(0, lines.length - 1));
    const to = random.int(0, Math.max(0, lines.length - 1));
    lines.splice(to, 0, ...lines.slice(from, from + random.int(1, 20)));
    return lines.join('\n');
  },
  'delete-lines': (text, random) => {
    const lines = text.split('\n');
    lines.splice(random.int(0, Math.max(0, lines.length - 1)), random.int(1, 30));
    return lines.join('\n');
  },
};

/** Mostly shallow, sometimes past every limit (issue 7 item 1 was 4,000 levels). */
function deepish(random) {
  return Math.min(random.pick([3, 10, 50, 63, 64, 65, 100, 500, 1000, 4000, 6000]), Math.max(100, Math.floor(random.maxBytes / 20)));
}

function mapSomeLines(text, random, change) {
  const lines = text.split('\n');
  for (let n = random.int(1, 6); n > 0 && lines.length > 0; n--) {
    const at = random.int(0, lines.length - 1);
    lines[at] = change(lines[at] ?? '');
  }
  return lines.join('\n');
}

/** `text` with the value of one random `key: value` line replaced by `value` (which starts with its separator). */
function replaceSomeValue(text, random, value) {
  const lines = text.split('\n');
  const keyed = lines.map((line, index) => (/^\s*(?:- )?[\w-]+:\s*\S/.test(line) ? index : -1)).filter((index) => index >= 0);
  if (keyed.length === 0) return undefined;
  const at = random.pick(keyed);
  lines[at] = (lines[at] ?? '').replace(/:\s.*$/, `:${value}`);
  return lines.join('\n');
}

const KINDS = Object.keys(MUTATIONS);

/**
 * A source of cases: each is one corpus file (picked by the seed) with one to three mutations applied.
 * `maxBytes` bounds the huge strings and long chains (the suite's short run keeps them small, to stay fast).
 * @param {{ seed: number, files: { source: string, text: string }[], maxBytes?: number }} options
 */
export function createFuzzer({ seed, files, maxBytes = Infinity }) {
  if (files.length === 0) throw new Error('createFuzzer needs at least one file to mutate');
  const random = { ...createRandom(seed), maxBytes };
  return {
    /** @returns {FuzzCase} */
    next() {
      const file = random.pick(files);
      const kinds = Array.from({ length: random.int(1, 3) }, () => random.pick(KINDS));
      let text = file.text;
      for (const kind of kinds) text = MUTATIONS[kind](text, random);
      return { kinds, text, source: file.source };
    },
  };
}

/**
 * Whole files of about `bytes` of each shape that was quadratic in issue 7 item 7, for timing (never asserted).
 * @param {number} bytes
 */
export function quadraticShapes(bytes = 1024 * 1024) {
  const fill = (unit, head = '', tail = '') => head + unit.repeat(Math.floor((bytes - head.length - tail.length) / unit.length)) + tail;
  const steps = 'on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n';
  const dispatch = 'gh api repos/acme/deploy/dispatches -f event_type=deploy && ';
  const entries = Array.from({ length: 80_000 }, (_, i) => `{r: ${i}}`).join(',');
  return {
    'dispatch-chain (one run: line of && gh api dispatches)': fill(dispatch, `${steps}    steps:\n      - run: `, 'true\n        env:\n          GH_TOKEN: ${{ secrets.DISPATCH_TOKEN }}\n'),
    'matrix.include of 80,000 entries': `${steps}    strategy:\n      matrix:\n        include: [${entries}]\n    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: \${{ secrets.DISPATCH_TOKEN }}\n          repository: acme/\${{ matrix.r }}\n          event-type: deploy\n`,
    'x: }}} (one line)': fill('}', 'x: ', '\n'),
    'x: }}} (many lines)': fill('x: }}}}}}}}}}}}}}}}}}}}\n'),
    'one huge string value (1 MB scalar)': fill('a', `${steps}    steps:\n      - run: echo \"`, '\"\n'),
    'many keys (env)': `${steps}    env:\n${Array.from({ length: Math.floor(bytes / 20) }, (_, i) => `      K${i}: v${i}\n`).join('')}    steps:\n      - run: echo\n`,
  };
}
