import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { parseConfig } from "../../src/portfolio/config.js";

const m = "version: 1\nprojects:\n  - name: core\n    repo: core\n";
const waiver = (fields: string) => `${m}policies:\n  waivers:\n    - policy: drift.baseAge\n      repository: core\n      match: '*'\n${fields}`;

describe("steward.yaml policies, waivers and claims", () => {
  it.each([
    ["an unknown policy", `${m}policies:\n  neutrality:\n    purity: {reason: x}\n`, "s.yaml:7: policies.neutrality: unknown key 'purity'"],
    ["an unknown policy group", `${m}policies:\n  purity: {}\n`, "s.yaml:6: policies: unknown key 'purity'"],
    ["a threshold of the wrong type", `${m}policies:\n  drift:\n    baseAge:\n      reason: x\n      maxDays: six months\n`, "s.yaml:9: policies.drift.baseAge.maxDays: Invalid input: expected number, received string"],
    ["a share above 1", `${m}policies:\n  community:\n    topShare: {reason: r, max: 1.5}\n`, "s.yaml:7: policies.community.topShare.max: Too big: expected number to be <=1"],
    ["a rule without its reason", `${m}policies:\n  api:\n    unannounced: {releases: 1}\n`, "s.yaml:7: policies.api.unannounced.reason: Invalid input: expected string, received undefined"],
    ["a waiver without reason", waiver("      owner: me\n      expires: 2026-01-01\n"), "s.yaml:7: policies.waivers[0].reason: Invalid input: expected string, received undefined"],
    ["a waiver without expiry", waiver("      reason: r\n      owner: me\n"), "s.yaml:7: policies.waivers[0].expires: Invalid input: expected string, received undefined"],
    ["an expiry that is not a date", waiver("      reason: r\n      owner: me\n      expires: next spring\n"), "s.yaml:12: policies.waivers[0].expires: Invalid ISO date"],
    ["a waiver of an unknown repository", waiver("      reason: r\n      owner: me\n      expires: 2026-01-01\n").replace("repository: core", "repository: ghost"), "s.yaml:8: policies.waivers[0].repository: unknown repository 'ghost'"],
    ["an override of an unknown repository", `${m}policies:\n  repositories:\n    ghost:\n      drift:\n        baseAge: false\n`, "s.yaml:7: policies.repositories: unknown repository 'ghost'"],
    ["an override keyed by a bad name", `${m}policies:\n  repositories:\n    -core:\n      drift:\n        baseAge: false\n`, "s.yaml:7: policies.repositories.-core: not a name: letters, digits, '.', '_' or '-'"],
    ["a negative override", `${m}policies:\n  repositories:\n    core:\n      drift:\n        baseAge: {maxDays: -1}\n`, "s.yaml:9: policies.repositories.core.drift.baseAge.maxDays: Too small: expected number to be >=0"],
    ["a claim of two kinds", `${m}claims:\n  - project: core\n    supports: [amd]\n    ownership: {path: core/}\n`, "s.yaml:6: claims[0]: give exactly one of deprecation, supports, ownership (found supports, ownership)"],
    ["a claim of no kind", `${m}claims:\n  - project: core\n`, "s.yaml:6: claims[0]: give exactly one of deprecation, supports, ownership"],
    ["a claim of an unknown project", `${m}claims:\n  - project: ghost\n    supports: [amd]\n`, "s.yaml:6: claims[0].project: unknown project or plugin 'ghost'"],
  ])("rejects %s with one line naming file, line and key", (_what, text, message) => {
    expect(() => parseConfig(text, "s.yaml")).toThrow(ConfigError);
    let got = "";
    try {
      parseConfig(text, "s.yaml");
    } catch (e) {
      got = (e as Error).message;
    }
    expect(got).toBe(message);
    expect(got).not.toContain("\n");
  });

  it("the lint's own waivers stay under policies.neutrality beside the gate's rules", () => {
    const c = parseConfig(`${m}policies:\n  neutrality:\n    waivers:\n      - {path: "core/legacy/**", reason: old code}\n    lint: {reason: r}\n`, "s.yaml");
    expect(c.policies.neutrality).toEqual({ waivers: [{ path: "core/legacy/**", reason: "old code" }], lint: { reason: "r", maxNew: 0 } });
    expect(c.policies.waivers).toEqual([]);
    expect(c.claims).toEqual([]);
  });
});
