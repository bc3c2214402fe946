import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/index.js";
import { portfolioStatus, scanPortfolio } from "../../src/portfolio/scan.js";
import { dashboardApp } from "../../src/web/serve.js";
import { writeReport } from "../../src/web/report.js";
import { git, tempDir } from "../helpers/git.js";
import { expectMatchesSchema } from "../helpers/schema.js";
import { PG_URL, pgTitle } from "../helpers/pg.js";

const root = tempDir("steward-dash-");
const pristine = join(root, "pristine");
const scanned = join(root, "scanned");
const CLI = resolve("dist/cli/main.js");

beforeAll(async () => {
  await generateDemo(pristine);
  cpSync(pristine, scanned, { recursive: true });
  await scanPortfolio(scanned);
});

/** Every file under a directory with its size and modification time: what "nothing was written" compares. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p] = `${statSync(p).size} ${statSync(p).mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}

describe("reading the store writes nothing", () => {
  it("a never-scanned portfolio: status and report neither create nor touch a store", async () => {
    const dir = join(root, "never");
    cpSync(pristine, dir, { recursive: true });
    const st = await portfolioStatus(dir);
    expect(existsSync(join(dir, "steward.db"))).toBe(false);
    expect([st.lastScan, st.repositories.map((r) => [r.name, r.ok, r.analyzers.length])]).toEqual([null, [["tensorforge", false, 0], ["tensorforge-gaudi", false, 0], ["tensorforge-rocm", false, 0], ["tensorforge-npu", false, 0]]]);
    await expectMatchesSchema("status", st);
    const r = await writeReport(dir, { out: join(root, "never-site") });
    expect(existsSync(join(dir, "steward.db"))).toBe(false);
    expect(readFileSync(r.index, "utf8")).toContain("The store has no results yet");
  });

  it("a scanned store is byte-for-byte the same after report and serve", async () => {
    // SQLite's readers may leave its WAL index (-shm) and an empty log (-wal) beside the file: coordination, not data.
    const data = (s: Record<string, string>) => Object.fromEntries(Object.entries(s).filter(([f]) => !/-(shm|wal)$/.test(f)));
    const db = join(scanned, "steward.db");
    const bytes = readFileSync(db);
    const before = data(snapshot(scanned));
    await writeReport(scanned, { out: join(root, "scanned-site") });
    const app = dashboardApp(scanned, { loopbackOnly: true });
    for (const p of ["/", "/project-tensorforge.html", "/api/status.json"]) expect((await app.request(p, { headers: { host: "127.0.0.1" } })).status).toBe(200);
    expect(data(snapshot(scanned))).toEqual(before);
    expect(readFileSync(db).equals(bytes)).toBe(true);
    if (existsSync(`${db}-wal`)) expect(statSync(`${db}-wal`).size).toBe(0);
  });
});

describe("steward report", () => {
  it("writes one page per repository, the assets and the stored results as JSON, with relative links only", async () => {
    const out = join(root, "site");
    const r = await writeReport(scanned, { out });
    expect(r.index).toBe(join(out, "index.html"));
    const files = Object.keys(snapshot(out)).map((f) => f.slice(out.length + 1)).sort();
    expect(files).toEqual([
      ".steward-report",
      "api/_portfolio/deps-matrix.json",
      "api/status.json",
      "api/tensorforge-gaudi/drift.json",
      "api/tensorforge-npu/contract.json",
      "api/tensorforge-npu/deps.json",
      "api/tensorforge-npu/neutrality.json",
      "api/tensorforge-rocm/drift.json",
      "api/tensorforge/api.json",
      "api/tensorforge/community.json",
      "api/tensorforge/deps.json",
      "api/tensorforge/neutrality.json",
      "assets/app.js",
      "assets/style.css",
      "badges/tensorforge--no-single-vendor-ownership-of-tensorforge-accelerator.json",
      "badges/tensorforge--supports-amd-intel-gaudi.json",
      "fork-tensorforge-gaudi.html",
      "fork-tensorforge-rocm.html",
      "index.html",
      "plugin-tensorforge-npu.html",
      "project-tensorforge.html",
    ]);
    for (const f of files.filter((x) => x.endsWith(".html"))) {
      const text = readFileSync(join(out, f), "utf8");
      expect(text, f).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;self&#39;; style-src &#39;self&#39;`);
      // No other host anywhere, no inline script, no inline style, no absolute link.
      expect(text, f).not.toMatch(/https?:|\/\/[a-z]/i);
      expect(text, f).not.toMatch(/<script(?![^>]*\bsrc="assets\/app\.js")/);
      expect(text, f).not.toMatch(/\sstyle=|<style/);
      expect(text, f).not.toMatch(/\s(?:href|src)="(?:\/|[a-z]+:)/i);
    }
    // Where each risk is heading: the Gaudi fork's debt rose by 43 lines (worse), the plugin admitted the newest release 26 days sooner (better).
    const index = readFileSync(join(out, "index.html"), "utf8");
    expect(index).toContain(`<span class="up" title="change since the previous value (worse)">↑ 43</span>`);
    expect(index).toContain(`<span class="down" title="change since the previous value (better)">↓ 26</span>`);
    // The evidence is the stored JSON, as the CLI's --json prints it.
    await expectMatchesSchema("status", JSON.parse(readFileSync(join(out, "api/status.json"), "utf8")));
    await expectMatchesSchema("drift", JSON.parse(readFileSync(join(out, "api/tensorforge-gaudi/drift.json"), "utf8")));
    const db = new Database(join(scanned, "steward.db"), { readonly: true });
    const stored = db.prepare("SELECT result FROM result WHERE repository = 'tensorforge' AND analyzer = 'community' ORDER BY id DESC").get() as { result: string };
    db.close();
    expect(JSON.parse(readFileSync(join(out, "api/tensorforge/community.json"), "utf8"))).toEqual(JSON.parse(stored.result));
  });

  it("replaces its own earlier report but refuses a directory that holds anything else", async () => {
    const out = join(root, "mine");
    await writeReport(scanned, { out });
    writeFileSync(join(out, "stale.html"), "old");
    await writeReport(scanned, { out });
    expect(existsSync(join(out, "stale.html"))).toBe(false);
    const other = join(root, "someone-elses");
    mkdirSync(other);
    writeFileSync(join(other, "notes.txt"), "keep me");
    await expect(writeReport(scanned, { out: other })).rejects.toThrow(/is not a Steward report/);
    expect(readFileSync(join(other, "notes.txt"), "utf8")).toBe("keep me");
  });
});

describe("a store that holds more than the config names", () => {
  it("publishes nothing for repositories the config no longer lists, and no store row chooses a path", async () => {
    const dir = join(root, "stale");
    cpSync(scanned, dir, { recursive: true });
    const db = new Database(join(dir, "steward.db"));
    const insert = db.prepare("INSERT INTO result (repository, analyzer, input_key, computed_at, ok, error, result) VALUES (?, ?, ?, ?, 1, NULL, '{}')");
    insert.run("../../escaped", "drift", "k1", "2030-01-01T00:00:00Z");
    insert.run("tensorforge", "../../../escaped", "k2", "2030-01-01T00:00:00Z");
    insert.run("gone-fork", "drift", "k3", "2030-01-01T00:00:00Z");
    db.close();
    const out = join(root, "stale-site", "report");
    await writeReport(dir, { out });
    expect(existsSync(join(root, "escaped.json"))).toBe(false);
    expect(existsSync(join(root, "stale-site", "escaped.json"))).toBe(false);
    expect(Object.keys(snapshot(join(root, "stale-site"))).filter((f) => /escaped|gone-fork/.test(f))).toEqual([]);
    const app = dashboardApp(dir);
    expect((await app.request("/api/gone-fork/drift.json")).status).toBe(404);
  });
});

describe("time series across scans", () => {
  it("keeps the points of earlier results: a project's footprint at each scanned tip", async () => {
    const dir = join(root, "two-tips");
    cpSync(scanned, dir, { recursive: true });
    const project = join(dir, "tensorforge");
    git(project, "checkout", "-q", "main");
    writeFileSync(join(project, "tensorforge/xpu_kernels.py"), "import intel_extension_for_pytorch as ipex\nx = torch.xpu.device_count()\n");
    git(project, "add", "-A");
    git(project, "-c", "user.name=I", "-c", "user.email=i@intel.com", "commit", "-q", "-m", "xpu kernels");
    const s = await scanPortfolio(dir);
    expect(s.tasks.filter((t) => t.state === "analysed").map((t) => `${t.repository} ${t.analyzer}`)).toContain("tensorforge neutrality");
    const { dashboardData } = await import("../../src/portfolio/dashboard.js");
    const d = await dashboardData(dir);
    const lintDebt = d.points.get("tensorforge")!.get("neutrality")!.filter((p) => p.metric === "lintDebt");
    expect(lintDebt.length).toBe(2);
    const out = join(root, "two-tips-site");
    await writeReport(dir, { out });
    const page = readFileSync(join(out, "project-tensorforge.html"), "utf8");
    const table = /<table[^>]*id="neutrality-history">([\s\S]*?)<\/table>/.exec(page)![1]!;
    expect(table.match(/<tr>/g)!.length).toBe(1 + 2);
    expect(page).toContain(`aria-label="tensorforge: vendor lines at each scanned tip"`);
  });
});

describe("failures", () => {
  it("shows a failed analysis in red with its message, on the portfolio and on the repository's page", async () => {
    const dir = join(root, "broken");
    cpSync(pristine, dir, { recursive: true });
    rmSync(join(dir, "forks/tensorforge-rocm"), { recursive: true });
    const s = await scanPortfolio(dir);
    const failure = s.tasks.find((t) => t.state === "failed")!;
    expect([failure.repository, failure.analyzer]).toEqual(["tensorforge-rocm", "drift"]);
    const out = join(root, "broken-site");
    await writeReport(dir, { out });
    const esc = (t: string) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
    const index = readFileSync(join(out, "index.html"), "utf8");
    expect(index).toContain(`<div class="err"><b>tensorforge-rocm drift failed</b>: ${esc(failure.error!)}</div>`);
    expect(index).toContain("1 analysis failed at the last run");
    const fork = readFileSync(join(out, "fork-tensorforge-rocm.html"), "utf8");
    expect(fork).toContain(`<span class="bad">drift failed</span>`);
    expect(fork).toContain(esc(failure.error!));
    // No evidence is published for a failure.
    expect(existsSync(join(out, "api/tensorforge-rocm/drift.json"))).toBe(false);
  });
});

describe("downstreams and overlapping forks", () => {
  it("gives a downstream its page, and lists the files two forks of one project both patch", async () => {
    const dir = join(root, "overlap");
    cpSync(pristine, dir, { recursive: true });
    // The ROCm fork now also patches a file the Gaudi fork carries private lines in.
    const rocm = join(dir, "forks/tensorforge-rocm");
    const adam = join(rocm, "tensorforge/ops/adam.py");
    git(rocm, "checkout", "-q", "rocm-main");
    writeFileSync(adam, "# rocm: tuned for MI300\n" + readFileSync(adam, "utf8"));
    git(rocm, "-c", "user.name=R", "-c", "user.email=r@amd.com", "commit", "-q", "-am", "rocm: tune adam");
    const cfg = join(dir, "steward.yaml");
    writeFileSync(cfg, readFileSync(cfg, "utf8").replace("\nidentities:", "\ndownstreams:\n  - name: trainer-app\n    repo: plugins/tensorforge-npu\n    depends: [tensorforge]\n\nidentities:"));
    const s = await scanPortfolio(dir);
    expect(s.failed).toBe(0);
    const out = join(root, "overlap-site");
    await writeReport(dir, { out });
    const app = readFileSync(join(out, "downstream-trainer-app.html"), "utf8");
    expect(app).toContain("Downstream of <a href=\"project-tensorforge.html\">tensorforge</a>");
    expect(app).toContain("Contract with <a href=\"project-tensorforge.html\">tensorforge</a>");
    expect(readFileSync(join(out, "index.html"), "utf8")).toContain("1 downstream");
    const overlap = /<table[^>]*id="overlap">([\s\S]*?)<\/table>/.exec(readFileSync(join(out, "fork-tensorforge-rocm.html"), "utf8"))![1]!;
    expect(overlap).toContain(`<td class="mono">tensorforge/ops/adam.py</td>`);
    expect(overlap).toContain(`<a href="fork-tensorforge-gaudi.html">tensorforge-gaudi</a> (intel-gaudi)`);
  });
});

const PG = PG_URL;
describe.skipIf(!PG)(pgTitle("a PostgreSQL store"), () => {
  const database = async (name: string) => {
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return PG!.replace(/\/[^/]*$/, `/${name}`);
  };
  const tables = async (url: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const r = await c.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
    await c.end();
    return r.rows.map((x: { table_name: string }) => x.table_name);
  };
  const withStore = (name: string, url: string) => {
    const dir = join(root, name);
    cpSync(pristine, dir, { recursive: true });
    const cfg = join(dir, "steward.yaml");
    writeFileSync(cfg, readFileSync(cfg, "utf8").replace("store: steward.db", `store: ${url}`));
    return dir;
  };

  it("is read without creating anything when never scanned", async () => {
    const url = await database(`steward_dash_empty_${process.pid}`);
    const dir = withStore("pg-empty", url);
    expect((await portfolioStatus(dir)).lastScan).toBe(null);
    await writeReport(dir, { out: join(root, "pg-empty-site") });
    expect(await tables(url)).toEqual([]);
  });

  it("gives the same pages' evidence as the SQLite store", async () => {
    const url = await database(`steward_dash_${process.pid}`);
    const dir = withStore("pg-scanned", url);
    await scanPortfolio(dir);
    const out = join(root, "pg-site");
    await writeReport(dir, { out });
    const sqliteOut = join(root, "sqlite-site-for-pg");
    await writeReport(scanned, { out: sqliteOut });
    for (const f of ["api/tensorforge-gaudi/drift.json", "api/tensorforge/community.json", "api/tensorforge/api.json", "api/_portfolio/deps-matrix.json"]) {
      const strip = (t: string) => JSON.parse(t.replaceAll(dir, "DIR").replaceAll(scanned, "DIR")) as unknown;
      expect(strip(readFileSync(join(out, f), "utf8")), f).toEqual(strip(readFileSync(join(sqliteOut, f), "utf8")));
    }
    expect(readFileSync(join(out, "index.html"), "utf8")).not.toContain("failed");
  });
});

describe("steward serve", () => {
  const app = () => dashboardApp(scanned, { loopbackOnly: true });
  const get = (path: string, host = "127.0.0.1:8080", method = "GET") => app().request(path, { method, headers: { host } });

  it("answers /api with the same JSON as the CLI's --json", async () => {
    const res = await get("/api/status");
    expect(res.headers.get("content-type")).toContain("application/json");
    const st = await portfolioStatus(scanned);
    expect(await res.json()).toEqual(st);
    const cli = spawnSync("node", [CLI, "status", scanned, "--json"], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(JSON.parse(cli.stdout)).toEqual(await (await get("/api/status.json")).json());
    const drift = await (await get("/api/tensorforge-gaudi/drift")).json();
    await expectMatchesSchema("drift", drift);
    expect((await get("/api/_portfolio/deps-matrix.json")).status).toBe(200);
  });

  it("sends the security headers with every page", async () => {
    const res = await get("/fork-tensorforge-rocm.html");
    expect(res.status).toBe(200);
    expect(Object.fromEntries(["content-type", "content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"].map((h) => [h, res.headers.get(h)]))).toEqual({
      "content-type": "text/html; charset=utf-8",
      "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'none'; base-uri 'none'; form-action 'none'; object-src 'none'; frame-ancestors 'none'",
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
    });
  });

  it("serves nothing outside the report and the store", async () => {
    for (const p of ["/steward.yaml", "/../steward.yaml", "/%2e%2e/steward.yaml", "/api/nope/drift.json", "/api/tensorforge/drift.json", "/fork-nope.html", "/assets/../steward.db", "/.steward-report"]) {
      expect((await get(p)).status, p).toBe(404);
    }
    expect((await get("/", "127.0.0.1", "POST")).status).toBe(405);
    const head = await get("/index.html", "127.0.0.1", "HEAD");
    expect([head.status, head.headers.get("content-type"), await head.text()]).toEqual([200, "text/html; charset=utf-8", ""]);
    // DNS rebinding: a loopback server answers only loopback host names.
    expect((await get("/", "evil.example")).status).toBe(403);
    expect((await get("/", "localhost:8080")).status).toBe(200);
    expect((await get("/", "[::1]:8080")).status).toBe(200);
  });

  it("runs from the CLI on loopback, prints its URL, and stops on SIGTERM", async () => {
    const child = spawn("node", [CLI, "serve", scanned, "--port", "0"], { env: { ...process.env, NO_COLOR: "1" } });
    const url = await new Promise<string>((ok, fail) => {
      let out = "";
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        const m = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
        if (m) ok(m[1]!);
      });
      child.on("exit", (code) => fail(new Error(`serve exited ${code}`)));
    });
    expect((await fetch(url)).status).toBe(200);
    const code = await new Promise<number | null>((ok) => {
      child.on("exit", (c) => ok(c));
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  });

  it("refuses a bad port with exit 2 and one line", () => {
    const r = spawnSync("node", [CLI, "serve", scanned, "--port", "http"], { encoding: "utf8" });
    expect([r.status, r.stdout, r.stderr.trim().split("\n").length]).toEqual([2, "", 1]);
    expect(r.stderr).toContain("--port");
  });
});

describe("steward report (CLI)", () => {
  it("prints the path of index.html", () => {
    const out = join(root, "cli-site");
    const r = spawnSync("node", [CLI, "report", scanned, "--out", out], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `${join(out, "index.html")}\n`, ""]);
  });
  it("prints a summary with --json (docs/schema/report.schema.json)", async () => {
    const out = join(root, "cli-json-site");
    const r = spawnSync("node", [CLI, "report", scanned, "--out", out, "--json"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    await expectMatchesSchema("report", summary);
    expect([summary.index, summary.dir, summary.files, summary.largest.path]).toEqual([join(out, "index.html"), out, 20, "project-tensorforge.html"]);
    expect(summary.bytes).toBe(Object.keys(snapshot(out)).filter((f) => !f.endsWith(".steward-report")).reduce((n, f) => n + statSync(f).size, 0));
  });
  it("writes steward-report/ beside the config by default", () => {
    const r = spawnSync("node", [CLI, "report", join(scanned, "steward.yaml")], { encoding: "utf8" });
    expect([r.status, r.stdout]).toEqual([0, `${join(scanned, "steward-report", "index.html")}\n`]);
  });
});
