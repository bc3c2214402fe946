/**
 * Escaping for the dashboard's pages: every string that reaches a page goes
 * through here. Commit subjects, author names, paths, branch names and config
 * values are hostile input (issue 12): the `html` template escapes every
 * interpolated value unless it is already markup built by this module, so
 * forgetting to escape is not possible by omission.
 *
 * Contexts and rules (OWASP XSS prevention cheat sheet, rules 1–2 and 5):
 * - HTML text and double-quoted attribute values (the only attribute form the
 *   pages use): `& < > " '` become entities. The same holds for SVG text and
 *   attributes, which the HTML parser reads as foreign content with the same
 *   character references.
 * - URLs: only relative links to pages and files of the report, built from
 *   path segments with `encodeURIComponent` (see `relHref`), then escaped as
 *   attributes. A value with a scheme (`javascript:`, `data:`, `http:`) is never
 *   produced, and `safeHref` refuses one if it is handed in.
 * - Script and style contexts: none. Pages carry no inline script or style and
 *   no data in <script> blocks, so there is no such context to escape for.
 */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Characters the HTML parser turns into U+FFFD or drops (NUL, other C0 controls but tab/LF/CR, lone surrogates): shown as U+FFFD. */
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes a string for HTML (or SVG) text and for a double-quoted attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ENTITIES[c]!).replace(UNSAFE_CHARS, "\uFFFD");
}

/** Markup built by this module (or a constant of the code): interpolated as is. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** A value the `html` template accepts: strings and numbers are escaped, Html is kept, lists are concatenated, absent values are empty. */
export type Interpolation = Html | string | number | boolean | null | undefined | readonly Interpolation[];

function render(v: Interpolation): string {
  if (v instanceof Html) return v.value;
  if (v === null || v === undefined || v === false || v === true) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (Array.isArray(v)) return (v as readonly Interpolation[]).map(render).join("");
  return escapeHtml(String(v));
}

/**
 * Tagged template for markup: `html\`<td title="${path}">${subject}</td>\``.
 * The literal parts are the code's own markup; every interpolation is escaped
 * for text and double-quoted attributes. Values must sit in text or inside
 * double quotes, never in an unquoted attribute, a tag or attribute name, or
 * an event handler (the pages have none).
 */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup from the code itself (never from data). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** Joins markup with a separator (escaped if it is a string). */
export function joinHtml(parts: readonly Interpolation[], sep: Interpolation = ""): Html {
  return new Html(parts.map(render).join(render(sep)));
}

/**
 * A relative URL of the report from path segments: each segment is
 * percent-encoded (a name cannot add a `/`, `?`, `#` or `..` step), and the
 * first segment can never read as a scheme (`javascript:x` becomes
 * `javascript%3Ax`). Escape it as an attribute (the `html` template does).
 */
export function relHref(...segments: string[]): string {
  return segments
    .map((s) => {
      const e = encodeURIComponent(s);
      // "." and ".." are left alone by encodeURIComponent and would step out of the report.
      return e === "." || e === ".." ? e.replace(/\./g, "%2E") : e;
    })
    .join("/");
}

/** A URL safe for href/src: relative to the page (no scheme, no host, no leading slash) or refused (returns "#"). */
export function safeHref(url: string): string {
  // Browsers drop tabs and newlines anywhere in a URL and trim controls and spaces around it
  // (WHATWG URL parser), so "java\tscript:" is a scheme: judge the URL as the browser will read it.
    const t = url.replace(/[\u0000-\u0020]/g, "");
  // A leading slash is host-relative: it leaves the report (and under file:// reaches the disk's root).
  if (/^[a-z][a-z0-9+.-]*:/i.test(t) || /^[/\\]/.test(t)) return "#";
  return url;
}
