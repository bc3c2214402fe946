import { describe, expect, it } from "vitest";
import { escapeHtml, html, joinHtml, relHref, safeHref, trusted } from "../../src/report/html/escape.js";
import { barChart, fmt, lineChart, niceTicks, sparkline } from "../../src/report/html/svg.js";

describe("escapeHtml", () => {
  it.each([
    ["plain text", "plain text"],
    ["<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"],
    ["</script><script>alert(1)</script>", "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"],
    [`"><svg onload=alert(1)>`, "&quot;&gt;&lt;svg onload=alert(1)&gt;"],
    ["it's", "it&#39;s"],
    ["&lt;already&gt;", "&amp;lt;already&amp;gt;"],
    ["a\u0000b\u0007c", "a\uFFFDb\uFFFDc"],
    ["tab\tnew\nline\r", "tab\tnew\nline\r"],
    ["lone \uD800 surrogate", "lone \uFFFD surrogate"],
    ["pair \uD83D\uDE00 kept", "pair \uD83D\uDE00 kept"],
    ["", ""],
  ])("%j -> %j", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });
});

describe("the html template", () => {
  it("escapes every interpolated string, in text and in quoted attributes", () => {
    const name = `"><img src=x onerror=alert(1)>`;
    expect(html`<td title="${name}">${name}</td>`.value).toBe(`<td title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">&quot;&gt;&lt;img src=x onerror=alert(1)&gt;</td>`);
  });
  it("keeps markup it built, concatenates lists, and drops absent values", () => {
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p>${inner}${[html`<br>`, "<x>"]}${null}${undefined}${false}${true}${3}${NaN}</p>`.value).toBe("<p><b>&lt;i&gt;</b><br>&lt;x&gt;3</p>");
    expect(joinHtml([html`<a>`, "<b>"], ", ").value).toBe("<a>, &lt;b&gt;");
    expect(trusted("<hr>").value).toBe("<hr>");
  });
  it("does not treat a string that looks like markup as markup", () => {
    const fake = { value: "<script>alert(1)</script>" } as unknown as string;
    expect(html`${fake}`.value).not.toContain("<script>");
  });
});

describe("relative links", () => {
  it.each([
    [["fork-a.html"], "fork-a.html"],
    [["api", "x", "drift.json"], "api/x/drift.json"],
    [["javascript:alert(1)"], "javascript%3Aalert(1)"],
    [["a/b"], "a%2Fb"],
    [[".."], "%2E%2E"],
    [["?q#h"], "%3Fq%23h"],
  ])("relHref(%j) = %j", (segments, expected) => {
    expect(relHref(...segments)).toBe(expected);
  });
  it.each([
    ["index.html", "index.html"],
    ["api/status.json", "api/status.json"],
    ["javascript:alert(1)", "#"],
    [" JaVaScRiPt:alert(1)", "#"],
    ["java\tscript:alert(1)", "#"],
    ["data:text/html,<script>", "#"],
    ["https://evil.example/", "#"],
    ["//evil.example/", "#"],
    ["/etc/passwd", "#"],
    ["\\\\evil\\share", "#"],
  ])("safeHref(%j) = %j", (url, expected) => {
    expect(safeHref(url)).toBe(expected);
  });
});

describe("SVG charts", () => {
  const evil = `</title><script>alert(1)</script><text onload="x">`;
  it("escape every label, series name and tooltip", () => {
    const svg = [
      lineChart({ title: evil, yLabel: evil, series: [{ name: evil, color: "#000", points: [{ date: "2025-01-01", y: 1, label: evil }] }], bands: [{ name: evil, color: "#111", points: [{ date: "2025-02-01", lo: 0, hi: 2, label: evil }] }] }).value,
      barChart({ title: evil, xLabel: evil, rows: [{ label: evil, segments: [{ key: evil, color: "#000", value: 3 }] }] }).value,
      sparkline([1, 2], { title: evil }).value,
    ].join("");
    expect(svg).not.toContain("<script>");
    expect(svg).not.toContain("</title><script>");
    expect(svg).not.toMatch(/<text onload/);
    expect(svg).toContain("&lt;script&gt;");
    // Colours are presentation attributes: nothing a strict CSP blocks.
    expect(svg).not.toContain("style=");
  });
  it("draws one mark per point with its value in the tooltip", () => {
    const svg = lineChart({ title: "t", yLabel: "y", series: [{ name: "debt", color: "#000", points: [{ date: "2024-07-15", y: 53, label: "1.0.0" }, { date: "2024-11-10", y: 119, label: "1.1.0" }] }] }).value;
    expect(svg.match(/<circle/g)).toHaveLength(2);
    expect(svg).toContain("<title>1.0.0 (2024-07-15): debt 53</title>");
    expect(svg).toContain("<title>1.1.0 (2024-11-10): debt 119</title>");
  });
  it("says so when there is nothing to draw", () => {
    expect(lineChart({ title: "t", yLabel: "y", series: [] }).value).toContain("No data points");
    expect(barChart({ title: "t", xLabel: "x", rows: [] }).value).toContain("Nothing to show");
  });
});

describe("axis numbers", () => {
  it.each([
    [0, 162, [0, 50, 100, 150]],
    [0, 1, [0, 0.25, 0.5, 0.75, 1]],
    [0, 7, [0, 2, 4, 6]],
    [5, 5, [5]],
  ])("niceTicks(%d, %d)", (min, max, expected) => {
    expect(niceTicks(min, max, 4)).toEqual(expected);
  });
  it.each([
    [-0, "0"],
    [1234, "1,234"],
    [0.4567, "0.46"],
    [12.345, "12.3"],
    [Infinity, "–"],
  ])("fmt(%d) = %j", (n, expected) => {
    expect(fmt(n)).toBe(expected);
  });
});
