/**
 * A small seeded random source. The bench needs the same organisation byte-for-byte on every machine and every
 * Node version, so it cannot use Math.random(); mulberry32 is tiny, fast and good enough for picking names.
 */

/** @param {number} seed */
export function createRandom(seed) {
  let state = seed >>> 0;

  /** mulberry32: a float in [0, 1). */
  function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both ends included. */
  function int(min, max) {
    return min + Math.floor(next() * (max - min + 1));
  }

  function chance(probability) {
    return next() < probability;
  }

  /** @template T @param {readonly T[]} items @returns {T} */
  function pick(items) {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(next() * items.length)];
  }

  /**
   * Picks by weight, from an object such as `{ ci: 30, lint: 5 }`. Keys are visited in insertion order,
   * which JavaScript keeps for string keys, so the choice is repeatable.
   * @param {Record<string, number>} weights
   */
  function weighted(weights) {
    const entries = Object.entries(weights).filter(([, weight]) => weight > 0);
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = next() * total;
    for (const [key, weight] of entries) {
      roll -= weight;
      if (roll < 0) return key;
    }
    return entries[entries.length - 1][0];
  }

  /** A shuffled copy (Fisher–Yates). @template T @param {readonly T[]} items @returns {T[]} */
  function shuffle(items) {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** `count` distinct items, in random order. @template T @param {readonly T[]} items @returns {T[]} */
  function sample(items, count) {
    return shuffle(items).slice(0, count);
  }

  /** A normally distributed number (Box–Muller), for skewed sizes. */
  function gaussian() {
    const u = 1 - next(); // (0, 1]: log(0) would be -Infinity
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  return { next, int, chance, pick, weighted, shuffle, sample, gaussian };
}
