/**
 * Line comparison for hunk classification. Lines are compared after trimming
 * trailing whitespace (so CRLF and editor noise do not matter), and runs are
 * matched over non-blank lines only: upstream often re-spaces code it adopts.
 */
export function normalise(line: string): string {
  // Fast path: most lines do not end in whitespace (a regex per line shows in profiles).
  const last = line.charCodeAt(line.length - 1);
  return last === 32 || last === 9 || last === 13 || last === 11 || last === 12 || last === 160 ? line.replace(/\s+$/, "") : line;
}

export function isBlank(normalised: string): boolean {
  return normalised.trim() === "";
}

/**
 * A line that says nothing about where it came from: closing brackets,
 * lone keywords, comment markers. A run of only such lines must not count as
 * evidence that upstream adopted a change (shared/DESIGN.md §3.1).
 */
const TRIVIAL = /^(?:[\s)\]}([{,;:.'"`#*/\\-]*|pass|else:?|try:|finally:|return;?|break;?|continue;?|end|fi|done|\*\/|\/\*+|"""|''')$/;

export function isTrivial(normalised: string): boolean {
  return TRIVIAL.test(normalised.trim());
}

export function nonBlank(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const n = normalise(l);
    if (!isBlank(n)) out.push(n);
  }
  return out;
}

/** An index of one file's non-blank lines for fast run lookups. */
export class LineIndex {
  /** Normalised non-blank lines in order. */
  readonly seq: string[] = [];
  /** 1-based line number in the file of each entry of `seq`. */
  readonly lineNo: number[] = [];
  private readonly positions = new Map<string, number[]>();
  readonly totalLines: number;

  constructor(lines: readonly string[]) {
    this.totalLines = lines.length;
    lines.forEach((raw, i) => {
      const n = normalise(raw);
      if (isBlank(n)) return;
      const at = this.seq.length;
      this.seq.push(n);
      this.lineNo.push(i + 1);
      const list = this.positions.get(n);
      if (list) list.push(at);
      else this.positions.set(n, [at]);
    });
  }

  has(line: string): boolean {
    return this.positions.has(line);
  }

  /**
   * Occurrences of `run` as a contiguous run of non-blank lines, and the
   * 1-based file line of the first one. The rarest line of the run picks the
   * candidates, so a run with one distinctive line costs one comparison.
   */
  findRun(run: readonly string[]): { count: number; firstLine: number | null } {
    if (run.length === 0) return { count: 0, firstLine: null };
    let pivot = 0;
    let candidates: number[] | undefined;
    for (let j = 0; j < run.length; j++) {
      const p = this.positions.get(run[j]!);
      if (!p) return { count: 0, firstLine: null };
      if (!candidates || p.length < candidates.length) {
        candidates = p;
        pivot = j;
      }
    }
    let count = 0;
    let firstLine: number | null = null;
    for (const c of candidates!) {
      const start = c - pivot;
      if (start < 0 || start + run.length > this.seq.length) continue;
      let ok = true;
      for (let j = 0; j < run.length; j++) {
        if (this.seq[start + j] !== run[j]) {
          ok = false;
          break;
        }
      }
      if (ok) {
        count++;
        const ln = this.lineNo[start]!;
        if (firstLine === null || ln < firstLine) firstLine = ln;
      }
    }
    return { count, firstLine };
  }

  /**
   * Number of blank lines between two consecutive non-blank lines `a` then `b`
   * (the first such adjacent pair), or null when they are not adjacent anywhere.
   */
  gapBetween(a: string, b: string): { gap: number; line: number } | null {
    for (const p of this.positions.get(a) ?? []) {
      if (this.seq[p + 1] === b) return { gap: this.lineNo[p + 1]! - this.lineNo[p]! - 1, line: this.lineNo[p]! };
    }
    return null;
  }

  /** Share of `lines` (non-blank, normalised) present anywhere in this file. */
  similarity(lines: readonly string[]): number {
    if (lines.length === 0) return 0;
    let hit = 0;
    for (const l of lines) if (this.positions.has(l)) hit++;
    return hit / lines.length;
  }
}
