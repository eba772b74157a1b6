// A small seeded random source for the demo data generator: the same --seed gives the same people,
// progress, answers and certificate codes. sfc32 (128-bit state) seeded through splitmix32; good
// enough for test data, not for anything secret.

export type Random = {
  /** [0, 1) */
  next(): number;
  /** a whole number from min to max, both included */
  int(min: number, max: number): number;
  /** a number from min (included) to max (excluded) */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(values: readonly T[]): T;
  /** picks by weight: [[value, weight], …] */
  weighted<T>(entries: ReadonlyArray<readonly [T, number]>): T;
  /** `count` distinct values, in random order */
  sample<T>(values: readonly T[], count: number): T[];
  bytes(size: number): Uint8Array;
};

function splitmix32(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRandom(seed: number): Random {
  const init = splitmix32(seed);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  const nextUint = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint(); // mix the seed in before the first value is used
  const next = () => nextUint() / 4294967296;
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: (values) => values[Math.floor(next() * values.length)],
    weighted(entries) {
      let total = 0;
      for (const [, weight] of entries) total += weight;
      let roll = next() * total;
      for (const [value, weight] of entries) {
        roll -= weight;
        if (roll < 0) return value;
      }
      return entries[entries.length - 1][0];
    },
    sample(values, count) {
      const copy = [...values];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy.slice(0, count);
    },
    bytes(size) {
      const out = new Uint8Array(size);
      for (let i = 0; i < size; i += 4) {
        const value = nextUint();
        for (let k = 0; k < 4 && i + k < size; k++) out[i + k] = (value >>> (k * 8)) & 255;
      }
      return out;
    },
  };
  return random;
}

/**
 * cuid-shaped ids (25 characters, starting with "c"): a stamp derived from the seed, a counter and
 * random characters. Rising within a run, so the primary-key indexes fill at their right edge
 * rather than at random pages (much faster bulk loads than random UUIDs).
 */
export function createIdFactory(seed: number) {
  const random = createRandom(seed ^ 0x5eed1d5);
  const stamp = splitmix32(seed)().toString(36).padStart(7, "0").slice(-6);
  let counter = 0;
  return () => {
    counter++;
    const tail = (random.int(0, 36 ** 5 - 1).toString(36).padStart(5, "0") + random.int(0, 36 ** 5 - 1).toString(36).padStart(5, "0")).slice(0, 10);
    return `c${stamp}${counter.toString(36).padStart(8, "0")}${tail}`;
  };
}
