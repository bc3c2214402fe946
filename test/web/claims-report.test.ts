import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateDemo } from "../../src/demo/index.js";
import { portfolioClaims } from "../../src/gate/index.js";
import { scanPortfolio } from "../../src/portfolio/scan.js";
import { writeReport } from "../../src/web/report.js";
import { tempDir } from "../helpers/git.js";

/** The report shows the config's claims as re-proven now, and writes each one's shields.io endpoint JSON beside its pages. */
const root = tempDir();
const demo = join(root, "demo");

beforeAll(async () => {
  await generateDemo(demo);
  await scanPortfolio(join(demo, "steward.yaml"));
}, 120_000);

describe("claims in the report", () => {
  it("lists every claim with its status and writes its badge", async () => {
    const { claims } = await portfolioClaims(join(demo, "steward.yaml"), { scan: false });
    expect(claims.map((c) => [c.claim, c.status])).toEqual([
      ["no single-vendor ownership of tensorforge/accelerator/", "verified"],
      ["supports: amd, intel-gaudi", "lapsed"],
    ]);
    const r = await writeReport(join(demo, "steward.yaml"), { out: join(root, "report") });
    const index = readFileSync(r.index, "utf8");
    for (const c of claims) expect(index).toContain(`<td>${c.claim}</td><td><span class="${c.status === "verified" ? "good" : "bad"}">${c.status}</span>`);
    const badge = (name: string) => JSON.parse(readFileSync(join(r.dir, "badges", name), "utf8"));
    expect(badge("tensorforge--supports-amd-intel-gaudi.json")).toEqual({ schemaVersion: 1, label: "supports: amd, intel-gaudi", message: "lapsed", color: "lightgrey" });
    expect(badge("tensorforge--no-single-vendor-ownership-of-tensorforge-accelerator.json")).toEqual({ schemaVersion: 1, label: "no single-vendor ownership of tensorforge/accelerator/", message: "verified", color: "brightgreen" });
    expect(index).toContain('href="badges/tensorforge--supports-amd-intel-gaudi.json"');
  });

  it("a portfolio without claims has no claims section and no badges", async () => {
    // The same portfolio and store, its claims left out (they are the file's last section).
    const config = readFileSync(join(demo, "steward.yaml"), "utf8");
    expect(config.indexOf("\nclaims:")).toBeGreaterThan(0);
    writeFileSync(join(demo, "no-claims.yaml"), config.slice(0, config.indexOf("\nclaims:") + 1));
    const r = await writeReport(join(demo, "no-claims.yaml"), { out: join(root, "report2") });
    expect(existsSync(join(r.dir, "badges"))).toBe(false);
    expect(readFileSync(r.index, "utf8")).not.toContain("<h2>Claims</h2>");
  });
});
