/**
 * Deterministic, plausible Python source for the demo repositories. Every
 * line is unique within a module (names carry the module and function), so
 * the drift classification of the demo is easy to read.
 */
/** mulberry32: a small seeded PRNG (also used by the benchmark's generator). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A PRNG seeded by a string (FNV-1a hash of it). */
export function prng(seed: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return mulberry32(h);
}

const VERBS = ["partition", "gather", "reduce", "shard", "offload", "prefetch", "allocate", "release", "scale", "clip"];
const NOUNS = ["params", "grads", "buffers", "states", "tensors", "chunks", "buckets", "streams", "events", "shards"];

/** One Python function of 4-8 lines, named `${stem}_${i}`. */
export function pyFunction(stem: string, i: number, rnd: () => number): string[] {
  const verb = VERBS[Math.floor(rnd() * VERBS.length)]!;
  const noun = NOUNS[Math.floor(rnd() * NOUNS.length)]!;
  const name = `${verb}_${noun}_${stem}_${i}`;
  const body = [
    `def ${name}(${noun}, world_size=1, bucket_mb=${25 * (1 + Math.floor(rnd() * 8))}):`,
    `    """${verb[0]!.toUpperCase()}${verb.slice(1)} ${noun} for ${stem} step ${i}."""`,
    `    total_${i} = sum(t.numel() for t in ${noun})`,
  ];
  const extra = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < extra; k++) body.push(`    total_${i} = _${verb}_${stem}_${k}(total_${i}, world_size)  # pass ${k}`);
  body.push(`    return total_${i} // max(world_size, 1)`, "");
  return body;
}

/** A module: docstring, imports, then `functions` functions. */
export function pyModule(stem: string, functions: number, imports: string[] = []): string[] {
  const rnd = prng(stem);
  const out = [`"""TensorForge ${stem.replace(/_/g, " ")}."""`, "", "import math", "import torch", ...imports, ""];
  for (let i = 0; i < functions; i++) out.push(...pyFunction(stem, i, rnd));
  return out;
}

export const text = (lines: readonly string[]) => lines.join("\n") + "\n";

/** Inserts `lines` after the first line containing `anchor` (throws if absent: the story must hold). */
export function insertAfter(content: string, anchor: string, lines: readonly string[]): string {
  const ls = content.replace(/\n$/, "").split("\n");
  const i = ls.findIndex((l) => l.includes(anchor));
  if (i < 0) throw new Error(`demo: anchor not found: ${anchor}`);
  ls.splice(i + 1, 0, ...lines);
  return text(ls);
}

/** Replaces the first line containing `anchor` with `lines`. */
export function replaceLine(content: string, anchor: string, lines: readonly string[]): string {
  const ls = content.replace(/\n$/, "").split("\n");
  const i = ls.findIndex((l) => l.includes(anchor));
  if (i < 0) throw new Error(`demo: anchor not found: ${anchor}`);
  ls.splice(i, 1, ...lines);
  return text(ls);
}
