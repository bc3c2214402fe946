import type { FileScan } from "./file-scan.js";
import { LAYERS, type Layer } from "./paths.js";
import { FAMILIES, type Attribution, type FamilyId, type VendorId } from "./taxonomy.js";
import type { Concentration, LayerFootprint, NeutralityFootprint } from "./types.js";

/**
 * Rolls file scans up into the footprint: per vendor and layer, sites, lines
 * and files. A file dedicated to a vendor counts all its lines for it (the
 * whole file serves that vendor); a generic file counts the lines that hold
 * the vendor's sites.
 */
export function rollUp(files: FileScan[]): Pick<NeutralityFootprint, "vendors" | "concentration" | "gaps"> {
  const vendors: NeutralityFootprint["vendors"] = {};
  const cell = (v: Attribution, layer: Layer): LayerFootprint => {
    const byLayer = (vendors[v] ??= {});
    return (byLayer[layer] ??= { sites: 0, lines: 0, files: 0, dedicatedFiles: 0 });
  };
  for (const f of files) {
    if (f.dedicatedTo) {
      const c = cell(f.dedicatedTo, f.layer);
      c.lines += f.lines;
      c.files++;
      c.dedicatedFiles++;
    }
    if (f.softFail && f.layer === "ci") {
      const owner = f.dedicatedTo ?? topVendorOf(f);
      if (owner) {
        const c = cell(owner, "ci");
        c.softFail = (c.softFail ?? 0) + f.softFail;
      }
    }
    const linesBy = new Map<Attribution, Set<number>>();
    for (const s of f.sites) {
      cell(s.vendor, f.layer).sites++;
      if (s.vendor === f.dedicatedTo) continue; // its lines are already counted with the file
      let set = linesBy.get(s.vendor);
      if (!set) linesBy.set(s.vendor, (set = new Set()));
      set.add(s.line);
    }
    for (const [v, set] of linesBy) {
      const c = cell(v, f.layer);
      c.lines += set.size;
      c.files++;
    }
  }
  const concentration = {} as Record<Layer, Concentration>;
  for (const layer of LAYERS) {
    const shares = (Object.entries(vendors) as [Attribution, Partial<Record<Layer, LayerFootprint>>][])
      .map(([v, byLayer]) => [v, byLayer[layer]?.lines ?? 0] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const total = shares.reduce((n, [, x]) => n + x, 0);
    concentration[layer] = {
      hhi: total ? round(shares.reduce((h, [, x]) => h + (x / total) ** 2, 0)) : 0,
      top: shares[0]?.[0] ?? null,
      topShare: total ? round(shares[0]![1] / total) : 0,
      lines: total,
    };
  }
  const gaps: NeutralityFootprint["gaps"] = [];
  const hasLines = (v: Attribution, l: Layer) => (vendors[v]?.[l]?.lines ?? 0) > 0;
  for (const [v, byLayer] of Object.entries(vendors) as [Attribution, Partial<Record<Layer, LayerFootprint>>][]) {
    const has = LAYERS.filter((l) => (byLayer[l]?.lines ?? 0) > 0);
    if (!has.some((l) => l === "code" || l === "kernels" || l === "build")) continue;
    // A family's layer is covered when one of its members has it: NVIDIA's CI runs the CUDA-family code.
    const members: readonly VendorId[] = v in FAMILIES ? FAMILIES[v as FamilyId] : [];
    const lacks = (["tests", "ci", "docs"] as const).filter((l) => !has.includes(l) && !members.some((m) => hasLines(m, l)));
    if (lacks.length) gaps.push({ vendor: v, has, lacks: [...lacks] });
  }
  gaps.sort((a, b) => (a.vendor < b.vendor ? -1 : 1));
  return { vendors: sortKeys(vendors), concentration, gaps };
}

function topVendorOf(f: FileScan): Attribution | null {
  const counts = new Map<Attribution, number>();
  for (const s of f.sites) counts.set(s.vendor, (counts.get(s.vendor) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function sortKeys<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))) as T;
}
