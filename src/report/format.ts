/** Small formatting helpers shared by the text and markdown reporters. */
export function short(oid: string): string {
  return oid.slice(0, 10);
}

export function pct(x: number | null): string {
  return x === null ? "n/a" : `${(x * 100).toFixed(1)}%`;
}

export function day(iso: string): string {
  return iso.slice(0, 10);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The files declaring a requirement, as reports name them: "requirements.txt, setup.py". */
export function declaredIn(k: { file: string; alsoIn?: string[] }): string {
  return [k.file, ...(k.alsoIn ?? [])].join(", ");
}

/** Left-aligned first column, right-aligned numbers, for a terminal. */
export function table(rows: string[][], align: ("l" | "r")[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return rows.map((r) =>
    r
      .map((c, i) => {
        const pad = " ".repeat((widths[i] ?? 0) - [...c].length);
        return align[i] === "r" ? pad + c : c + pad;
      })
      .join("  ")
      .trimEnd(),
  );
}

export function mdEscape(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/`/g, "\\`");
}
