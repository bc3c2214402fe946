// The fixed-seed sample the precision measurements draw (bench/neutrality-sample.mjs,
// bench/api-sample.mjs): plain JavaScript, not imported from dist/, so a previous build's output
// can be sampled the same way.

/** Same generator as src/demo/content.ts (mulberry32). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` of `rows` drawn without replacement (a partial Fisher-Yates shuffle), kept in their order. */
export function sample(rows, n, seed) {
  const rand = mulberry32(seed);
  const idx = rows.map((_, i) => i);
  const k = Math.min(n, idx.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rand() * (idx.length - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, k).sort((a, b) => a - b).map((i) => rows[i]);
}
