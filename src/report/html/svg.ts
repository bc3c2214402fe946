/**
 * Charts as static SVG, drawn when the page is rendered: a page shows its data
 * with no script, from file:// or any static host. Small on purpose: time
 * lines with bands, stacked bars (horizontal and by column), a heatmap and a
 * sparkline cover every chart of the dashboard (docs/architecture.md says why
 * this is not Observable Plot). Every label goes through the escaping `html`
 * template; colours are presentation attributes (`fill=`), which a strict
 * CSP allows, never `style=`. Each mark carries a <title>: the browser's own
 * tooltip, readable by screen readers, with no script.
 */
import { html, joinHtml, type Html } from "./escape.js";

const DAY = 86_400_000;
const FONT = 11;

/** Rough width of a label in pixels (system sans-serif at 11px). */
function textWidth(s: string, size = FONT): number {
  return s.length * size * 0.58;
}

function clip(s: string, px: number, size = FONT): string {
  const max = Math.max(3, Math.floor(px / (size * 0.58)));
  return s.length <= max ? s : s.slice(0, max - 1) + "…";
}

/** Up to `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step - 1e-9) * step; v <= max + step * 1e-9; v += step) out.push(Math.round(v / step) * step || 0);
  return out;
}

/** Round upper bound for a y axis starting at zero. */
function niceMax(max: number): number {
  if (max <= 0) return 1;
  const t = niceTicks(0, max, 4);
  const last = t[t.length - 1]!;
  return last >= max ? last : last + (t[1]! - t[0]!);
}

/** Number as shown on axes and in tooltips: 1234 -> "1,234", 0.4567 -> "0.46". */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return "–";
  if (n === 0) n = 0; // -0 from tick arithmetic reads "-0"
  if (Number.isInteger(n)) return n.toLocaleString("en-US");
  return n.toLocaleString("en-US", { maximumFractionDigits: Math.abs(n) < 10 ? 2 : 1 });
}

export const pct = (n: number): string => `${fmt(Math.round(n * 1000) / 10)}%`;

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** Month starts (every 1, 2, 3, 6, 12 or 24 months) spanning [min, max], at most ~6. */
function timeTicks(min: number, max: number): { t: number; label: string }[] {
  const months = (max - min) / (30.44 * DAY);
  const step = [1, 2, 3, 6, 12, 24, 60].find((s) => months / s <= 6) ?? 120;
  const start = new Date(min);
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth();
  // Align to the step so ticks fall on quarters/years.
  m = Math.ceil((m + (start.getUTCDate() > 1 ? 1 : 0)) / step) * step;
  const out: { t: number; label: string }[] = [];
  for (;;) {
    y += Math.floor(m / 12);
    m %= 12;
    const t = Date.UTC(y, m, 1);
    if (t > max) break;
    if (t >= min) out.push({ t, label: step >= 12 && m === 0 ? String(y) : `${y}-${String(m + 1).padStart(2, "0")}` });
    m += step;
  }
  if (out.length === 0) out.push({ t: min, label: iso(min) });
  return out;
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function svgOpen(title: string, f: Frame, extra = ""): Html {
  return html`<svg class="chart${extra}" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" role="img" aria-label="${title}"><title>${title}</title>`;
}

function yAxis(f: Frame, max: number, format: (n: number) => string, label: string, min = 0, integer = false): Html {
  // Counts (commits, organisations, breaks) get whole-number ticks only.
  const ticks = niceTicks(min, max, 4).filter((t) => !integer || Number.isInteger(t));
  const y = (v: number) => f.height - f.bottom - ((v - min) / (max - min || 1)) * (f.height - f.top - f.bottom);
  return html`<g class="axis y">${ticks.map(
    (t) => html`<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(t)}" y2="${y(t)}" stroke="#e3e3e3"/><text x="${f.left - 4}" y="${y(t) + 3.5}" text-anchor="end" font-size="${FONT}" fill="#555">${format(t)}</text>`,
  )}<text x="${f.left}" y="${f.top - 8}" font-size="${FONT}" fill="#333">${label}</text></g>`;
}

export interface TimePoint {
  /** ISO date (or date-time). */
  date: string;
  y: number;
  /** What the point is (a release, a period): in its tooltip. */
  label: string;
}

export interface LineSeries {
  name: string;
  color: string;
  points: TimePoint[];
  /** Dashed line (a second measure on the same axis). */
  dashed?: boolean;
}

export interface Band {
  name: string;
  color: string;
  points: { date: string; lo: number; hi: number; label: string }[];
}

/**
 * Time on x, the headline on y: one line per series, bands (best/worst
 * intervals) drawn beneath as shaded areas with their own edges.
 */
export function lineChart(o: { title: string; yLabel: string; series: LineSeries[]; bands?: Band[]; width?: number; height?: number; format?: (n: number) => string; yMax?: number; yMin?: number; step?: boolean; integer?: boolean }): Html {
  const f: Frame = { width: o.width ?? 560, height: o.height ?? 220, left: 52, right: 30, top: 24, bottom: 26 };
  const format = o.format ?? fmt;
  const bands = o.bands ?? [];
  const times = [...o.series.flatMap((s) => s.points.map((p) => Date.parse(p.date))), ...bands.flatMap((b) => b.points.map((p) => Date.parse(p.date)))].filter(Number.isFinite);
  if (times.length === 0) return html`<p class="empty">No data points yet.</p>`;
  let t0 = Math.min(...times);
  let t1 = Math.max(...times);
  if (t1 - t0 < 30 * DAY) {
    t0 -= 30 * DAY;
    t1 += 30 * DAY;
  }
  const values = [...o.series.flatMap((s) => s.points.map((p) => p.y)), ...bands.flatMap((b) => b.points.flatMap((p) => [p.lo, p.hi]))];
  const yMin = o.yMin ?? 0;
  const yMax = o.yMax ?? niceMax(Math.max(...values, yMin + 1e-9));
  const x = (d: string) => f.left + ((Date.parse(d) - t0) / (t1 - t0)) * (f.width - f.left - f.right);
  const y = (v: number) => f.height - f.bottom - ((v - yMin) / (yMax - yMin || 1)) * (f.height - f.top - f.bottom);
  const xt = timeTicks(t0, t1);
  const xAxis = html`<g class="axis x">${xt.map(
    (t) => html`<line x1="${x(iso(t.t))}" x2="${x(iso(t.t))}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom + 4}" stroke="#999"/><text x="${x(iso(t.t))}" y="${f.height - f.bottom + 15}" text-anchor="middle" font-size="${FONT}" fill="#555">${t.label}</text>`,
  )}<line x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}" stroke="#999"/></g>`;
  const path = (pts: [number, number][]) => pts.map(([px, py], i) => `${i ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`).join("");
  const stepPath = (pts: [number, number][]) => pts.map(([px, py], i) => (i ? `H${px.toFixed(1)}V${py.toFixed(1)}` : `M${px.toFixed(1)},${py.toFixed(1)}`)).join("");
  const bandMarks = bands.map((b) => {
    const pts = [...b.points].sort((a, c) => Date.parse(a.date) - Date.parse(c.date));
    const hi = pts.map((p) => [x(p.date), y(p.hi)] as [number, number]);
    const lo = pts.map((p) => [x(p.date), y(p.lo)] as [number, number]).reverse();
    const area = pts.length === 1 ? "" : `${path(hi)}L${lo.map(([a, c]) => `${a.toFixed(1)},${c.toFixed(1)}`).join("L")}Z`;
    return html`<g class="band">${area ? html`<path d="${area}" fill="${b.color}" fill-opacity="0.18" stroke="none"/>` : ""}${pts.map(
      (p) => html`<line x1="${x(p.date)}" x2="${x(p.date)}" y1="${y(p.hi)}" y2="${y(p.lo)}" stroke="${b.color}" stroke-width="${pts.length === 1 ? 4 : 1.5}" stroke-opacity="0.45"><title>${p.label}: ${b.name} ${format(p.lo)}–${format(p.hi)}</title></line>`,
    )}</g>`;
  });
  const lines = o.series.map((s) => {
    const pts = [...s.points].sort((a, c) => Date.parse(a.date) - Date.parse(c.date));
    const xy = pts.map((p) => [x(p.date), y(p.y)] as [number, number]);
    return html`<g class="series"><path d="${o.step ? stepPath(xy) : path(xy)}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? html` stroke-dasharray="5 3"` : ""}/>${pts.map(
      (p) => html`<circle cx="${x(p.date)}" cy="${y(p.y)}" r="3.5" fill="${s.color}"><title>${p.label} (${p.date.slice(0, 10)}): ${s.name} ${format(p.y)}</title></circle>`,
    )}</g>`;
  });
  return box(html`${svgOpen(o.title, f)}${yAxis(f, yMax, format, o.yLabel, yMin, o.integer)}${xAxis}${bandMarks}${lines}</svg>${legend([...bands.map((b) => ({ key: `${b.name} (band)`, color: b.color })), ...o.series.map((s) => ({ key: s.name, color: s.color }))])}`);
}

export interface Segment {
  key: string;
  color: string;
  value: number;
}

/** Horizontal bars, each a stack of segments (one segment: a plain bar). */
export function barChart(o: { title: string; xLabel: string; rows: { label: string; segments: Segment[]; note?: string }[]; width?: number; format?: (n: number) => string; max?: number; legend?: boolean }): Html {
  if (o.rows.length === 0) return html`<p class="empty">Nothing to show.</p>`;
  const format = o.format ?? fmt;
  const labelPx = Math.min(220, Math.max(60, ...o.rows.map((r) => textWidth(r.label) + 8)));
  const rowH = 20;
  const right = Math.max(56, ...o.rows.map((r) => (r.note ? textWidth(r.note) + 10 : 0)));
  const f: Frame = { width: o.width ?? 560, height: o.rows.length * rowH + 40, left: labelPx, right, top: 22, bottom: 18 };
  const total = (r: { segments: Segment[] }) => r.segments.reduce((n, s) => n + s.value, 0);
  const max = o.max ?? niceMax(Math.max(...o.rows.map(total)));
  const w = (v: number) => (v / max) * (f.width - f.left - f.right);
  const rows = o.rows.map((r, i) => {
    const yy = f.top + i * rowH;
    let acc = 0;
    const segs = r.segments
      .filter((s) => s.value > 0)
      .map((s) => {
        const x0 = f.left + w(acc);
        acc += s.value;
        return html`<rect x="${x0.toFixed(1)}" y="${yy + 3}" width="${Math.max(0.5, w(s.value)).toFixed(1)}" height="${rowH - 6}" fill="${s.color}"><title>${r.label}: ${s.key} ${format(s.value)}</title></rect>`;
      });
    return html`<g><text x="${f.left - 6}" y="${yy + rowH / 2 + 4}" text-anchor="end" font-size="${FONT}" fill="#333">${clip(r.label, labelPx - 8)}<title>${r.label}</title></text>${segs}<text x="${f.left + w(acc) + 4}" y="${yy + rowH / 2 + 4}" font-size="${FONT}" fill="#555">${r.note ?? format(acc)}</text></g>`;
  });
  const keys = new Map<string, string>();
  for (const r of o.rows) for (const s of r.segments) if (s.value > 0 && !keys.has(s.key)) keys.set(s.key, s.color);
  return box(html`${svgOpen(o.title, f)}<text x="${f.left}" y="12" font-size="${FONT}" fill="#333">${o.xLabel}</text>${rows}<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}" stroke="#999"/></svg>${o.legend === false ? "" : legend([...keys].map(([key, color]) => ({ key, color })))}`);
}

/** Vertical stacked columns in order (releases, periods): ordinal x, values on y. */
export function columnChart(o: { title: string; yLabel: string; columns: { label: string; segments: Segment[] }[]; width?: number; height?: number; format?: (n: number) => string; max?: number; integer?: boolean }): Html {
  if (o.columns.length === 0) return html`<p class="empty">Nothing to show.</p>`;
  const format = o.format ?? fmt;
  const f: Frame = { width: o.width ?? 560, height: o.height ?? 230, left: 52, right: 12, top: 24, bottom: 40 };
  const total = (c: { segments: Segment[] }) => c.segments.reduce((n, s) => n + s.value, 0);
  const max = o.max ?? niceMax(Math.max(...o.columns.map(total)));
  const band = (f.width - f.left - f.right) / o.columns.length;
  const bw = Math.min(44, band * 0.7);
  const y = (v: number) => f.height - f.bottom - (v / max) * (f.height - f.top - f.bottom);
  const every = Math.ceil(o.columns.length / Math.max(1, Math.floor((f.width - f.left) / 56)));
  const cols = o.columns.map((c, i) => {
    const cx = f.left + band * (i + 0.5);
    let acc = 0;
    const segs = c.segments
      .filter((s) => s.value > 0)
      .map((s) => {
        const y1 = y(acc);
        acc += s.value;
        return html`<rect x="${(cx - bw / 2).toFixed(1)}" y="${y(acc).toFixed(1)}" width="${bw.toFixed(1)}" height="${Math.max(0.5, y1 - y(acc)).toFixed(1)}" fill="${s.color}"><title>${c.label}: ${s.key} ${format(s.value)}</title></rect>`;
      });
    const label = i % every === 0 ? html`<text x="${cx}" y="${f.height - f.bottom + 14}" text-anchor="middle" font-size="${FONT}" fill="#555">${clip(c.label, band * every - 4)}<title>${c.label}</title></text>` : "";
    return html`<g>${segs}${label}</g>`;
  });
  const keys = new Map<string, string>();
  for (const c of o.columns) for (const s of c.segments) if (s.value > 0 && !keys.has(s.key)) keys.set(s.key, s.color);
  return box(html`${svgOpen(o.title, f)}${yAxis(f, max, format, o.yLabel, 0, o.integer)}${cols}<line x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}" stroke="#999"/></svg>${legend([...keys].map(([key, color]) => ({ key, color })))}`);
}

/** Rows × columns of cells; null cells are blank. */
export function heatmap(o: { title: string; rows: string[]; cols: string[]; cells: (number | null)[][]; color: (v: number) => string; label: (v: number) => string; cellText?: (v: number) => string }): Html {
  if (o.rows.length === 0 || o.cols.length === 0) return html`<p class="empty">Nothing to show.</p>`;
  const labelPx = Math.min(200, Math.max(50, ...o.rows.map((r) => textWidth(r) + 8)));
  const cw = Math.max(26, Math.min(48, ...o.cols.map((c) => textWidth(c) + 6)));
  const ch = 20;
  const f: Frame = { width: labelPx + cw * o.cols.length + 10, height: 30 + ch * o.rows.length + 6, left: labelPx, right: 10, top: 30, bottom: 6 };
  const head = o.cols.map((c, j) => html`<text x="${f.left + cw * (j + 0.5)}" y="${f.top - 8}" text-anchor="middle" font-size="${FONT - 1}" fill="#333">${clip(c, cw)}<title>${c}</title></text>`);
  const body = o.rows.map((r, i) => {
    const yy = f.top + i * ch;
    const cells = o.cols.map((c, j) => {
      const v = o.cells[i]?.[j];
      if (v === null || v === undefined) return html`<rect x="${f.left + cw * j + 1}" y="${yy + 1}" width="${cw - 2}" height="${ch - 2}" fill="#f4f4f4"><title>${r} × ${c}: no data</title></rect>`;
      return html`<rect x="${f.left + cw * j + 1}" y="${yy + 1}" width="${cw - 2}" height="${ch - 2}" fill="${o.color(v)}"><title>${r} × ${c}: ${o.label(v)}</title></rect>${o.cellText ? html`<text x="${f.left + cw * (j + 0.5)}" y="${yy + ch / 2 + 4}" text-anchor="middle" font-size="${FONT - 1}" fill="#111">${o.cellText(v)}</text>` : ""}`;
    });
    return html`<g><text x="${f.left - 6}" y="${yy + ch / 2 + 4}" text-anchor="end" font-size="${FONT}" fill="#333">${clip(r, labelPx - 8)}<title>${r}</title></text>${cells}</g>`;
  });
  return box(html`${svgOpen(o.title, f)}${head}${body}</svg>`);
}

/** A chart and its legend kept together in a flowing layout. */
function box(inner: Html): Html {
  return html`<div class="chartbox">${inner}</div>`;
}

/** A word-sized line of the last values (oldest first), for tables. */
export function sparkline(values: number[], o: { title: string; color?: string; width?: number; height?: number }): Html {
  if (values.length === 0) return html``;
  const w = o.width ?? 80;
  const h = o.height ?? 20;
  const max = Math.max(...values);
  const min = Math.min(0, ...values);
  const x = (i: number) => (values.length === 1 ? w / 2 : 2 + (i / (values.length - 1)) * (w - 4));
  const y = (v: number) => h - 2 - ((v - min) / (max - min || 1)) * (h - 4);
  const d = values.map((v, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join("");
  const color = o.color ?? "#0072B2";
  const last = values.length - 1;
  return html`<svg class="spark" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${o.title}"><title>${o.title}</title><path d="${d}" fill="none" stroke="${color}" stroke-width="1.5"/><circle cx="${x(last)}" cy="${y(values[last]!)}" r="2.5" fill="${color}"/></svg>`;
}

/** A colour swatch for legends and tables (an SVG rect: no style attribute under the CSP). */
export function swatch(color: string): Html {
  return html`<svg class="swatch" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="${color}"/></svg>`;
}

/** An HTML legend: the key in words beside each colour (colour is never the only cue). */
export function legend(items: { key: string; color: string }[]): Html {
  if (items.length === 0) return html``;
  return html`<ul class="legend">${joinHtml(items.map((i) => html`<li>${swatch(i.color)} ${i.key}</li>`))}</ul>`;
}
