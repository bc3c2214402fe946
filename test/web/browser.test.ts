/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/index.js";
import { scanPortfolio } from "../../src/portfolio/scan.js";
import { writeReport } from "../../src/web/report.js";
import { serveDashboard, type RunningServer } from "../../src/web/serve.js";
import { launchChromium, visit } from "../helpers/browser.js";
import { git, tempDir } from "../helpers/git.js";

/**
 * The dashboard in a real browser (Debian's chromium through playwright-core):
 * every page of the demo's report from file:// and from `steward serve`, with
 * zero console errors and zero requests to other hosts; every link resolves;
 * the numbers in the tables beside the charts are the store's; hostile text
 * from git and the config shows literally and runs nothing.
 */
const root = tempDir("steward-web-");
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
});
afterAll(async () => {
  await browser?.close();
});

/** Where a request may go: the report's own files, or the server under test. */
function allowed(url: string, origin: string | null): boolean {
  if (url.startsWith("file://")) return true;
  return origin !== null && url.startsWith(origin);
}

/** Checks one page: no error, no foreign request, relative links only; returns the absolute link targets. */
async function checkPage(url: string, origin: string | null): Promise<string[]> {
  const v = await visit(page, url);
  expect(v.consoleErrors, url).toEqual([]);
  expect(v.requests.filter((r) => !allowed(r, origin)), url).toEqual([]);
  const refs = await page.$$eval("[href], [src]", (els) => els.map((e) => e.getAttribute("href") ?? e.getAttribute("src") ?? ""));
  for (const r of refs) expect(r, `${url}: ${r} is not relative`).not.toMatch(/^(?:[a-z][a-z0-9+.-]*:|\/)/i);
  const hrefs = await page.$$eval("a[href]", (els) => els.map((e) => (e as HTMLAnchorElement).href));
  return hrefs.map((h) => h.replace(/#.*$/, ""));
}

describe("the demo's dashboard in chromium", () => {
  let dir: string;
  let out: string;
  let server: RunningServer;
  const pages = ["index.html", "project-tensorforge.html", "fork-tensorforge-gaudi.html", "fork-tensorforge-rocm.html", "plugin-tensorforge-npu.html"];

  beforeAll(async () => {
    dir = join(root, "steward-demo");
    await generateDemo(dir);
    await scanPortfolio(dir);
    out = join(dir, "site");
    await writeReport(dir, { out });
    server = await serveDashboard(dir, { port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("loads every page from file:// with no console error and no request elsewhere, and every link resolves", async () => {
    const seen = new Set<string>();
    const queue = [pathToFileURL(join(out, "index.html")).href];
    while (queue.length) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      expect(existsSync(fileURLToPath(url)), `${url} does not exist`).toBe(true);
      if (!url.endsWith(".html")) continue;
      for (const target of await checkPage(url, null)) if (!seen.has(target)) queue.push(target);
    }
    // Every page type was reached by following links from the index, and the JSON evidence too.
    for (const p of pages) expect(seen.has(pathToFileURL(join(out, p)).href), p).toBe(true);
    expect([...seen].some((u) => u.endsWith("/api/tensorforge-gaudi/drift.json"))).toBe(true);
  });

  it("serves the same pages live, and every link answers 200", async () => {
    const origin = server.url.replace(/\/$/, "");
    const seen = new Set<string>();
    const queue = [server.url];
    while (queue.length) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("content-security-policy"), url).toContain("script-src 'self'");
      if (!res.headers.get("content-type")?.startsWith("text/html")) continue;
      for (const target of await checkPage(url, origin)) if (!seen.has(target)) queue.push(target);
    }
    for (const p of pages) expect(seen.has(`${server.url}${p}`) || (p === "index.html" && seen.has(server.url)), p).toBe(true);
  });

  it("shows in the tables beside the charts the numbers the store holds", async () => {
    const db = new Database(join(dir, "steward.db"), { readonly: true, fileMustExist: true });
    const points = db.prepare("SELECT repository, analyzer, ref, date, metric, value FROM point").all() as { repository: string; analyzer: string; ref: string; date: string; metric: string; value: number }[];
    db.close();
    const cells = async (file: string, tableId: string, rowKey: string) => {
      await page.goto(pathToFileURL(join(out, file)).href);
      return page.$$eval(
        `#${tableId} tbody tr`,
        (rows, key) => rows.flatMap((r) => [...r.querySelectorAll("td[data-metric]")].map((td) => ({ key: r.getAttribute(key) ?? "", metric: td.getAttribute("data-metric")!, v: td.getAttribute("data-v")! }))),
        rowKey,
      );
    };
    const expectStore = (got: { key: string; metric: string; v: string }[], find: (key: string, metric: string) => number | undefined, metrics: string[]) => {
      const checked = got.filter((c) => metrics.includes(c.metric));
      expect(checked.length).toBeGreaterThan(0);
      // An empty cell ("–") stands for a point the store does not have.
      for (const c of checked) expect([c.key, c.metric, c.v === "" ? undefined : Number(c.v)]).toEqual([c.key, c.metric, find(c.key, c.metric)]);
    };
    // Fork: the drift series per release.
    for (const fork of ["tensorforge-gaudi", "tensorforge-rocm"]) {
      const got = await cells(`fork-${fork}.html`, "drift-history", "data-ref");
      expect(new Set(got.map((c) => c.key)).size).toBe(new Set(points.filter((p) => p.repository === fork).map((p) => p.ref)).size);
      expectStore(got, (ref, metric) => points.find((p) => p.repository === fork && p.analyzer === "drift" && p.ref === ref && p.metric === metric)?.value, ["debt", "reconnection", "baseAgeDays", "behind"]);
    }
    // Project: the API ledger per release, community per quarter, upgrade lag per release.
    const api = await cells("project-tensorforge.html", "api-ledger", "data-ref");
    expectStore(api, (ref, metric) => points.find((p) => p.repository === "tensorforge" && p.analyzer === "api" && p.ref === ref && p.metric === metric)?.value, ["breaking", "announced", "medianGraceDays"]);
    const quarterDate = (q: string) => `${q.slice(0, 4)}-${String((Number(q.slice(6)) - 1) * 3 + 1).padStart(2, "0")}-01`;
    const comm = await cells("project-tensorforge.html", "community-periods", "data-period");
    expectStore(comm, (q, metric) => points.find((p) => p.repository === "tensorforge" && p.analyzer === "community" && p.date === quarterDate(q) && p.metric === metric)?.value, ["elephantFactor:best", "elephantFactor:worst", "top1Share:worst", "coverage"]);
    const lag = (await cells("project-tensorforge.html", "upgrade-lag", "data-ref")).filter((c) => c.v !== "");
    expectStore(lag, (ref, metric) => points.find((p) => p.repository === "*" && p.ref === ref && p.metric === metric)?.value, ["lag:tensorforge-npu"]);
    // Neutrality: vendor lines at the scanned tip.
    const fp = await cells("project-tensorforge.html", "neutrality-history", "data-none");
    expectStore(fp.filter((c) => c.v !== ""), (_k, metric) => points.find((p) => p.repository === "tensorforge" && p.analyzer === "neutrality" && p.metric === metric)?.value, ["lines:cuda-api", "lines:nvidia", "lintDebt", "hhi:code"]);
    // Portfolio: each fork's newest debt in the families table.
    await page.goto(pathToFileURL(join(out, "index.html")).href);
    const debts = await page.$$eval("#families [data-fork]", (els) => els.map((e) => [e.getAttribute("data-fork"), Number(e.getAttribute("data-v"))]));
    const newest = (fork: string) => points.filter((p) => p.repository === fork && p.metric === "debt").sort((a, b) => (a.date < b.date ? -1 : 1)).at(-1)!.value;
    expect(debts).toEqual([
      ["tensorforge-gaudi", newest("tensorforge-gaudi")],
      ["tensorforge-rocm", newest("tensorforge-rocm")],
    ]);
  });

  it("renders each page type to a screenshot (STEWARD_SCREENSHOTS=DIR keeps them: docs/screenshots/)", async () => {
    const keep = process.env.STEWARD_SCREENSHOTS;
    const shots = keep ? resolve(keep) : join(root, "shots");
    mkdirSync(shots, { recursive: true });
    const shot = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      for (const [file, name] of [["index.html", "portfolio"], ["fork-tensorforge-gaudi.html", "fork"], ["project-tensorforge.html", "project"], ["plugin-tensorforge-npu.html", "plugin"]]) {
        await shot.goto(pathToFileURL(join(out, file!)).href);
        await shot.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
        expect(statSync(join(shots, `${name}.png`)).size, name).toBeGreaterThan(10_000);
      }
    } finally {
      await shot.close();
    }
  });

  it("shows every chart and table with scripts turned off", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const p = await context.newPage();
      await p.goto(pathToFileURL(join(out, "project-tensorforge.html")).href);
      const counts = await p.evaluate(() => ({ charts: document.querySelectorAll("svg.chart").length, tables: document.querySelectorAll("table tbody tr").length }));
      expect(counts.charts).toBeGreaterThanOrEqual(6);
      expect(counts.tables).toBeGreaterThan(20);
      expect(await p.isVisible("#api-ledger")).toBe(true);
    } finally {
      await context.close();
    }
  });

  it("sorts a table when its header is clicked (the only script)", async () => {
    await page.goto(pathToFileURL(join(out, "fork-tensorforge-gaudi.html")).href);
    const debt = () => page.$$eval("#directories tbody tr", (rows) => rows.map((r) => Number(r.querySelector('td[data-metric="debt"]')!.getAttribute("data-v"))));
    await page.click("#directories thead th:nth-child(3)");
    const asc = await debt();
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
    await page.click("#directories thead th:nth-child(3)");
    const desc = await debt();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
  });
});

describe("hostile text in git and the config", () => {
  const AUTHOR = `Eve" onmouseover="window.__pwned=1" x=' &lt;img src=x onerror=window.__pwned=1&gt; Evil`;
  const SUBJECT = "</script><script>window.__pwned=2</script>";
  const BRANCH = `"><svg/onload=window.__pwned=3>`;
  const PATH = `evil"><svg onload=window.__pwned=4>/mod.py`;
  const ORG = "<img src=x onerror=window.__pwned=5>";
  const VENDOR = `<img src=x onerror=window.__pwned=6>`;
  let dir: string;
  let out: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = join(root, "hostile");
    await generateDemo(dir);
    const fork = join(dir, "forks/tensorforge-rocm");
    git(fork, "checkout", "-q", "-b", BRANCH, "rocm-main");
    mkdirSync(join(fork, "evil\"><svg onload=window.__pwned=4>"), { recursive: true });
    writeFileSync(join(fork, PATH), "def evil():\n    return '<img src=x onerror=window.__pwned=7>'\n");
    git(fork, "add", "-A");
    git(fork, "-c", `user.name=${AUTHOR}`, "-c", "user.email=eve@evil.example", "commit", "-q", "-m", SUBJECT);
    const cfg = join(dir, "steward.yaml");
    const yaml = readFileSync(cfg, "utf8")
      .replace("refs: [rocm-main]", `refs: [rocm-main, '${BRANCH}']`)
      .replace("vendor: amd", `vendor: '${VENDOR}'`)
      .replace("  affiliations:\n", `  affiliations:\n    - person: frank.moreau@gmail.com\n      organization: '${ORG}'\n`);
    writeFileSync(cfg, yaml);
    const s = await scanPortfolio(dir);
    expect(s.failed).toBe(0);
    out = join(dir, "site");
    await writeReport(dir, { out });
    server = await serveDashboard(dir, { port: 0 });
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const via of ["file", "serve"] as const) {
    it(`renders it literally and runs nothing (${via})`, async () => {
      const url = (p: string) => (via === "file" ? pathToFileURL(join(out, p)).href : `${server.url}${p}`);
      const shown: Record<string, string> = {};
      for (const p of ["index.html", "fork-tensorforge-rocm.html", "project-tensorforge.html"]) {
        const v = await visit(page, url(p));
        expect(v.consoleErrors, p).toEqual([]);
        // Nothing ran, and no element or attribute came from the data.
        expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), p).toBeUndefined();
        expect(await page.$$eval("[onerror], [onload], [onmouseover], img, main script", (els) => els.length), p).toBe(0);
        shown[p] = await page.evaluate(() => document.body.innerText + "\n" + [...document.querySelectorAll("title, [title], [data-ref]")].map((e) => `${e.getAttribute("title") ?? ""} ${e.getAttribute("data-ref") ?? ""} ${e.textContent ?? ""}`).join("\n"));
      }
      // The hostile strings are on the pages, as text. (git drops '<' and '>' from author names, so the
      // author tries an attribute break-out and entities that must not be decoded twice.)
      const fork = shown["fork-tensorforge-rocm.html"]!;
      expect(fork).toContain(SUBJECT);
      expect(fork).toContain(BRANCH);
      expect(fork).toContain(PATH);
      expect(fork).toContain(VENDOR);
      expect(fork).toContain(AUTHOR);
      expect(shown["project-tensorforge.html"]).toContain(ORG);
      expect(shown["index.html"]).toContain(BRANCH);
    });
  }
});
