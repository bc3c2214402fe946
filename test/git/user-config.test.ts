import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiDiff, community, drift, neutrality } from "../../src/index.js";
import { generateDemo } from "../../src/demo/index.js";
import { git, tempDir } from "../helpers/git.js";

/**
 * Steward's results must not depend on the user's git config. Every test process runs git with
 * GIT_CONFIG_GLOBAL=/dev/null (vitest.config.ts); here a hostile global config is put back for
 * Steward's own git calls (src/git/run.ts) and every analyzer must give what it gives without it.
 */
const root = tempDir("steward-userconfig-");
const demo = join(root, "demo");
const hostile = join(root, "hostile.gitconfig");
const mailmap = join(root, "everyone.mailmap");

const HOSTILE = `[commit]
	gpgSign = true
[tag]
	gpgSign = true
[gpg]
	program = false
[diff]
	renames = copies
	context = 7
	interHunkContext = 9
	noprefix = true
	mnemonicPrefix = true
	algorithm = patience
	suppressBlankEmpty = true
	orderFile = ${join(root, "order")}
	external = false
[color]
	ui = always
	diff = always
	status = always
[log]
	decorate = full
	abbrevCommit = true
	date = relative
	follow = true
	mailmap = false
	showSignature = true
[format]
	pretty = fuller
[core]
	abbrev = 20
	quotePath = true
	autocrlf = true
	hooksPath = ${join(root, "hooks")}
[mailmap]
	file = ${mailmap}
[init]
	defaultBranch = trunk
[i18n]
	logOutputEncoding = ISO-8859-1
[grep]
	patternType = perl
[blame]
	ignoreRevsFile = nowhere
`;

function analyses() {
  const up = join(demo, "tensorforge");
  return Promise.all([
    drift({ upstreamRepo: up, forkRepo: join(demo, "forks/tensorforge-rocm"), upstream: "main", forks: ["rocm-main"], cacheDir: join(root, "cache") }),
    community({ repo: up }),
    neutrality({ repo: up, ref: "main" }),
    apiDiff({ repo: up, from: "v0.3.0", to: "v0.5.0" }),
  ]);
}

describe("a user's ~/.gitconfig (signing, colours, renames, context, mailmap, encodings)", () => {
  let clean: unknown;
  beforeAll(async () => {
    writeFileSync(hostile, HOSTILE);
    writeFileSync(join(root, "order"), "zzz\n*.md\n");
    writeFileSync(mailmap, "Everyone <everyone@example.com> <ann@upstream.org>\n");
    await generateDemo(demo);
    clean = JSON.parse(JSON.stringify(await analyses()));
  });
  afterEach(() => {
    process.env.GIT_CONFIG_GLOBAL = "/dev/null";
  });

  it("changes no analyzer's result", async () => {
    process.env.GIT_CONFIG_GLOBAL = hostile;
    const hostileRun = JSON.parse(JSON.stringify(await analyses()));
    expect(hostileRun).toEqual(clean);
  });

  it("changes no commit id of the demo Steward writes", async () => {
    const refs = (dir: string) => git(dir, "for-each-ref", "--format=%(refname) %(objectname)");
    process.env.GIT_CONFIG_GLOBAL = hostile;
    await generateDemo(join(root, "demo-hostile"));
    process.env.GIT_CONFIG_GLOBAL = "/dev/null";
    for (const repo of ["tensorforge", "forks/tensorforge-rocm", "forks/tensorforge-gaudi"]) {
      expect(refs(join(root, "demo-hostile", repo))).toBe(refs(join(demo, repo)));
    }
  });
});
