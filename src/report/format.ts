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

/**
 * A name as a line of text shows it: one holding a control character (a newline, a tab) is quoted
 * with C escapes as git quotes it (`"core/new\nline.py"`), so it cannot break a table or a line.
 */
export function shown(s: string): string {
  if (!/[\u0000-\u001f\u007f]/.test(s)) return s;
  const escapes: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r", '"': '\\"', "\\": "\\\\" };
  return `"${s.replace(/[\u0000-\u001f\u007f"\\]/g, (c) => escapes[c] ?? `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`)}"`;
}

/** Rows as aligned columns for a terminal (left or right per column); every cell shown with control characters quoted. */
export function table(rows: string[][], align: ("l" | "r")[]): string[] {
  rows = rows.map((r) => r.map(shown));
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
  return shown(s).replace(/\|/g, "\\|").replace(/`/g, "\\`");
}
