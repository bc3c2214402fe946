/**
 * The two files every page links (same origin, no inline script or style, so
 * the CSP needs no 'unsafe-inline'): the style sheet and a small script that
 * only sorts tables. Pages show everything without it; tooltips are SVG
 * <title> elements, which need no script either.
 */
export const STYLE_CSS = `:root{--fg:#1d1d1f;--muted:#5c5c66;--line:#dedee3;--bg:#fff;--alt:#f6f6f8;--bad:#b3261e;--good:#1b7a3d;--link:#0b57d0}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.top{background:#20232a;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:baseline;flex-wrap:wrap}
header.top a{color:#fff;text-decoration:none;font-weight:600}
header.top nav a{font-weight:400;color:#d6d9e0;margin-right:14px}
header.top nav a[aria-current=page]{color:#fff;text-decoration:underline}
main{padding:12px 24px 40px;max-width:1400px}
h1{font-size:22px;margin:10px 0 2px}
h2{font-size:17px;margin:28px 0 6px;padding-top:6px;border-top:1px solid var(--line)}
h3{font-size:14px;margin:16px 0 4px}
p.lead{color:var(--muted);margin:2px 0 12px}
a{color:var(--link)}
.kpis{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
.kpi{border:1px solid var(--line);border-radius:6px;padding:8px 12px;min-width:130px;background:var(--alt)}
.kpi b{display:block;font-size:20px}
.kpi span{color:var(--muted);font-size:12px}
.fig{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start;margin:8px 0}
.fig figure{margin:0}
.fig figcaption{font-size:12px;color:var(--muted);max-width:460px}
.fig .numbers{flex:1 1 320px;min-width:280px;overflow-x:auto}
table{border-collapse:collapse;font-size:13px;margin:4px 0}
th,td{border-bottom:1px solid var(--line);padding:3px 7px;text-align:left;vertical-align:top}
th{background:var(--alt);font-weight:600;white-space:nowrap}
td.d,.nw{white-space:nowrap}
div.fork{margin-bottom:6px}
.chartbox{display:inline-block;vertical-align:top;margin:0 16px 8px 0}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.sortable th{cursor:pointer}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2";font-size:9px}
table.sortable th[aria-sort=descending]::after{content:" \\25BC";font-size:9px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.bad{color:var(--bad);font-weight:600}
.good{color:var(--good)}
.muted{color:var(--muted)}
.fail{background:#fdecea;border-left:3px solid var(--bad);padding:4px 8px;margin:4px 0}
.err{color:var(--bad)}
.empty{color:var(--muted);font-style:italic}
.legend{list-style:none;padding:0;margin:2px 0 0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;max-width:560px}
.legend li{white-space:nowrap}
svg.chart{max-width:100%;height:auto;font-family:inherit}
svg.spark{vertical-align:middle}
svg.swatch{vertical-align:baseline}
.evidence{font-size:12px}
details summary{cursor:pointer;color:var(--link)}
.up{color:var(--bad)}
.down{color:var(--good)}
footer{color:var(--muted);font-size:12px;padding:12px 24px;border-top:1px solid var(--line)}
`;

export const APP_JS = `// Steward dashboard: click a table header to sort (pages show everything without this script).
"use strict";
(function () {
  function key(cell) {
    var v = cell.getAttribute("data-v");
    if (v === null) v = cell.textContent.trim();
    var n = Number(v);
    return v !== "" && !isNaN(n) ? n : v.toLowerCase();
  }
  function sortBy(table, index, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[index] ? key(a.cells[index]) : "";
      var y = b.cells[index] ? key(b.cells[index]) : "";
      var c = typeof x === typeof y ? (x < y ? -1 : x > y ? 1 : 0) : typeof x === "number" ? -1 : 1;
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    Array.prototype.forEach.call(head.cells, function (th, i) {
      th.tabIndex = 0;
      th.title = "Sort by this column";
      th.addEventListener("click", function () { sortBy(table, i, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(table, i, th); } });
    });
  });
})();
`;

/**
 * The Content-Security-Policy of every page: nothing from anywhere but the
 * report itself, no inline script or style, no forms, no plugins, no base
 * rewrites. (In a <meta> tag, frame-ancestors is ignored; serve sends it as
 * a header.)
 */
export const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";
