/**
 * The demo's seeded randomness: mulberry32, a small 32-bit generator, one stream per business key
 * (an obligation's id, a forwarding's id) derived from the seed, so what one actor does depends only
 * on the seed and its own key, never on the order others were drawn in or on the replayed window.
 */

export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** A whole number from `min` to `max`, both included. */
  int(min: number, max: number): number;
  /** One of `weights`' keys, each as likely as its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K;
  chance(probability: number): boolean;
}

/**
 * FNV-1a of a string, then murmur3's finaliser, for seeding a stream: keys that differ in one
 * character (two cities' forwardings) get unrelated seeds.
 */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    weighted(weights) {
      const entries = Object.entries(weights) as [keyof typeof weights, number][];
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let pick = next() * total;
      for (const [key, weight] of entries) {
        pick -= weight;
        if (pick < 0) return key;
      }
      return (entries.at(-1) as [keyof typeof weights, number])[0];
    },
    chance: (probability) => next() < probability,
  };
}

/** The stream of `key` under `seed`. */
export function randomFor(seed: number, key: string): Random {
  return mulberry32(hash(`${seed}|${key}`));
}
