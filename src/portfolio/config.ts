import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { ConfigError } from "../errors.js";
import { CLAIM_KINDS, claimsSchema, policiesSchema } from "../gate/schema.js";

/**
 * `steward.yaml`: the portfolio a steward watches — core projects, their
 * vendor forks, the plugins and downstreams that depend on them, identities
 * and policies. Validated with zod; every error names the key it is about.
 */
export const CONFIG_VERSION = 1;

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a name: letters, digits, '.', '_' or '-'");
const refPattern = z.string().min(1).refine((s) => !s.startsWith("-"), "must not start with '-'");
const repo = z.string().min(1).refine((s) => !s.startsWith("-"), "must not start with '-'");

const project = z.strictObject({
  name,
  /** Local path (relative to the config file) or URL. */
  repo,
  branch: refPattern.default("main"),
  /** Python import packages of the project (API analysis). */
  packages: z.array(z.string().min(1)).default([]),
  /** for-each-ref pattern of release tags. */
  tags: refPattern.default("refs/tags/v*"),
  /** The device-neutral abstraction the project offers (neutrality lint), e.g. get_accelerator(). */
  abstraction: z.string().min(1).optional(),
  /** In a partial clone, fetch the absent blobs each analysis reads from its promisor remote (`--fetch-missing`). */
  fetchMissing: z.boolean().default(false),
});

const fork = z.strictObject({
  name,
  /** The project this forks. */
  of: name,
  repo,
  /** Refs or for-each-ref patterns to follow (branches without refs/ are branch names). */
  refs: z.array(refPattern).min(1),
  vendor: z.string().min(1).optional(),
  /** In a partial clone, fetch the absent blobs each analysis reads from its promisor remote (`--fetch-missing`). */
  fetchMissing: z.boolean().default(false),
});

const dependent = z.strictObject({
  name,
  repo,
  /** Projects of the portfolio it depends on. */
  depends: z.array(name).min(1),
  branch: refPattern.default("main"),
  tags: refPattern.default("refs/tags/v*"),
  packages: z.array(z.string().min(1)).default([]),
  /** In a partial clone, fetch the absent blobs each analysis reads from its promisor remote (`--fetch-missing`). */
  fetchMissing: z.boolean().default(false),
});

const affiliation = z.strictObject({
  person: z.string().min(1),
  organization: z.string().min(1),
  from: z.iso.date().optional(),
  until: z.iso.date().optional(),
});

const schema = z.strictObject({
  version: z.literal(CONFIG_VERSION),
  /** Results store: a SQLite file (relative to the config) or a postgres:// URL. Default: steward.db beside the config. */
  store: z.string().min(1).optional(),
  /** Workspace cache for URL repositories and cross-repository drift (relative to the config). Default: .steward-cache beside the config. */
  cache: z.string().min(1).refine((s) => !s.startsWith("-"), "must not start with '-'").optional(),
  projects: z.array(project).min(1),
  forks: z.array(fork).default([]),
  plugins: z.array(dependent).default([]),
  downstreams: z.array(dependent).default([]),
  identities: z
    .strictObject({
      aliases: z.record(z.string(), z.array(z.string().min(1))).default({}),
      affiliations: z.array(affiliation).default([]),
      bots: z.array(z.string().min(1)).default([]),
      /** GitHub login -> one commit address of that person: CODEOWNERS names logins, commits carry addresses. */
      logins: z.record(z.string().regex(/^@?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, "a GitHub login like jdoe-intel"), z.string().regex(/^[^@\s]+@[^@\s]+$/, "an email address the person commits with")).default({}),
      /** Email domain -> organisation, over Steward's built-in map (longest suffix wins). */
      domains: z.record(z.string().regex(/^[a-z0-9.-]+\.[a-z]+$/i, "a domain like example.com"), z.string().min(1)).default({}),
    })
    .default({ aliases: {}, affiliations: [], bots: [], domains: {}, logins: {} }),
  /** The gate (steward check): rules with thresholds and reasons, per-repository overrides, waivers (src/gate/schema.ts). */
  policies: policiesSchema,
  /** Claims re-proven from the scan's evidence (steward claims). */
  claims: claimsSchema,
});

/** The same file without projects: only identities (and the other optional sections) for a lone repository. */
const identitiesOnlySchema = schema.extend({ projects: z.array(project).default([]) });

/** JSON Schema of steward.yaml (committed as docs/schema/steward-config.schema.json). */
export function configJsonSchema(): unknown {
  return {
    $id: "https://steward.dev/schema/steward-config.schema.json",
    title: "steward.yaml",
    ...z.toJSONSchema(schema, { io: "input" }),
  };
}

/**
 * JSON Schema of `steward config check --json` (committed as docs/schema/config-check.schema.json):
 * the validated file with its defaults filled in, plus where it resolved to, its repositories and
 * the problems found with their locations.
 */
export function configCheckJsonSchema(): unknown {
  const checked = schema.extend({
    file: z.string().describe("absolute path of the steward.yaml"),
    storeLocation: z.string().describe("the resolved store: a SQLite file or a postgres URL with its password masked"),
    cacheDir: z.string().describe("absolute path of the workspace cache"),
    repositories: z.array(z.object({ name: z.string(), kind: z.enum(["project", "fork", "plugin", "downstream"]), location: z.string(), isUrl: z.boolean() })),
    problems: z.array(z.object({ name: z.string(), level: z.enum(["error", "warning"]), message: z.string() })).describe("warnings only: an error fails the check (exit 2)"),
  });
  return {
    $id: "https://steward.dev/schema/config-check.schema.json",
    title: "steward config check CONFIG --json",
    ...z.toJSONSchema(checked, { io: "output" }),
  };
}

export type PortfolioConfig = z.infer<typeof schema> & {
  /** Absolute path of the config file. */
  file: string;
  /** Resolved store: a file path or a postgres URL. */
  storeLocation: string;
  /** Absolute path of the workspace cache directory. */
  cacheDir: string;
};

export type RepositoryKind = "project" | "fork" | "plugin" | "downstream";

/** Every repository of the portfolio, with its location resolved. */
export function repositoriesOf(c: PortfolioConfig): { name: string; kind: RepositoryKind; location: string; isUrl: boolean }[] {
  const base = dirname(c.file);
  const loc = (r: string) => (URL_LIKE.test(r) ? { location: r, isUrl: true } : { location: isAbsolute(r) ? r : resolve(base, r), isUrl: false });
  return [
    ...c.projects.map((p) => ({ name: p.name, kind: "project" as const, ...loc(p.repo) })),
    ...c.forks.map((p) => ({ name: p.name, kind: "fork" as const, ...loc(p.repo) })),
    ...c.plugins.map((p) => ({ name: p.name, kind: "plugin" as const, ...loc(p.repo) })),
    ...c.downstreams.map((p) => ({ name: p.name, kind: "downstream" as const, ...loc(p.repo) })),
  ];
}

const URL_LIKE = /^(?:https?|ssh|git|file):\/\/|^[\w.-]+@[\w.-]+:/;

function keyPath(path: readonly PropertyKey[], doc: unknown): string {
  // forks[0].of reads better with the item's name when it has one: forks[0] (gaudi).of
  let out = "";
  let node: unknown = doc;
  for (const k of path) {
    if (typeof k === "number") {
      node = Array.isArray(node) ? node[k] : undefined;
      const n = node && typeof node === "object" && "name" in node && typeof node.name === "string" ? ` (${node.name})` : "";
      out += `[${k}]${n}`;
    } else {
      node = node && typeof node === "object" ? (node as Record<string, unknown>)[String(k)] : undefined;
      out += out ? `.${String(k)}` : String(k);
    }
  }
  return out || "(top level)";
}

/**
 * The line of the YAML node a key path names (1-based), or of its nearest
 * ancestor present in the file (a missing key points at its parent): every
 * config error names file and line, not just the key.
 */
function lineOfPath(doc: Document, lc: LineCounter, path: readonly PropertyKey[], key?: string): number {
  let line = 1;
  const at = (n: unknown) => {
    const r = isNode(n) ? n.range : undefined;
    if (r) line = lc.linePos(r[0]).line;
  };
  at(doc.contents);
  for (let i = 1; i <= path.length; i++) {
    const n = doc.getIn(path.slice(0, i) as (string | number)[], true);
    if (n === undefined) break;
    at(n);
  }
  // An unknown key: the key itself, not the map that holds it.
  if (key !== undefined) {
    const map = path.length ? doc.getIn(path as (string | number)[], true) : doc.contents;
    const pair = isMap(map) ? map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) : undefined;
    if (pair) at(pair.key);
  }
  return line;
}

/**
 * Where a validation issue points and what it says. A key that is unknown or ill-formed is pointed
 * at on its own line, not at the value under it; for a record's bad key zod says only "Invalid key
 * in record", so the key's own check says what it should be.
 */
function describeIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; key: string | undefined; detail: string } {
  if (issue.code === "unrecognized_keys") return { path: issue.path, key: issue.keys[0], detail: `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}` };
  if (issue.code === "invalid_key") return { path: issue.path.slice(0, -1), key: String(issue.path.at(-1)), detail: `not ${issue.issues[0]?.message ?? "a valid key"}` };
  return { path: issue.path, key: undefined, detail: issue.message };
}

/**
 * Parses and validates a config text; `file` anchors relative paths, `label`
 * names it in errors. `projects: "optional"` accepts a file that only carries
 * `identities` (what `steward community --config` needs for a lone repository).
 */
export function parseConfig(text: string, file: string, label = file, opts: { projects?: "required" | "optional" } = {}): PortfolioConfig {
  file = resolve(file);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = `:${lineCounter.linePos(e.pos[0]).line}`;
    throw new ConfigError(`${label}${line}: invalid YAML: ${e.message.split("\n")[0]}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (e) {
    // An alias with no anchor before it (`*a`): the yaml parser reports it only here.
    throw new ConfigError(`${label}: invalid YAML: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
  }
  const at = (path: readonly PropertyKey[], key?: string) => `${label}:${lineOfPath(doc, lineCounter, path, key)}`;
  const parsed = (opts.projects === "optional" ? identitiesOnlySchema : schema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const { path, key, detail } = describeIssue(issue);
    throw new ConfigError(`${at(path, key)}: ${keyPath(issue.path, raw)}: ${detail}`);
  }
  const c = parsed.data;
  const names = new Map<string, string>();
  const sections = [["projects", c.projects], ["forks", c.forks], ["plugins", c.plugins], ["downstreams", c.downstreams]] as const;
  for (const [section, list] of sections) {
    list.forEach((item, i) => {
      const seen = names.get(item.name);
      if (seen) throw new ConfigError(`${at([section, i, "name"])}: ${section}[${i}].name: duplicate name '${item.name}' (also ${seen})`);
      names.set(item.name, `${section}[${i}]`);
    });
  }
  const projectNames = new Set(c.projects.map((p) => p.name));
  c.forks.forEach((f, i) => {
    if (!projectNames.has(f.of)) throw new ConfigError(`${at(["forks", i, "of"])}: forks[${i}] (${f.name}).of: unknown project '${f.of}'`);
  });
  for (const section of ["plugins", "downstreams"] as const) {
    c[section].forEach((d, i) => {
      d.depends.forEach((p, j) => {
        if (!projectNames.has(p)) throw new ConfigError(`${at([section, i, "depends", j])}: ${section}[${i}] (${d.name}).depends[${j}]: unknown project '${p}'`);
      });
    });
  }
  c.identities.affiliations.forEach((a, i) => {
    if (a.from && a.until && a.from > a.until) throw new ConfigError(`${at(["identities", "affiliations", i, "until"])}: identities.affiliations[${i}].until: ${a.until} is before from ${a.from}`);
  });
  const known = new Map([...names].map(([n, where]) => [n, where.split("[")[0]!]));
  for (const [repo] of Object.entries(c.policies.repositories)) {
    if (!known.has(repo)) throw new ConfigError(`${at(["policies", "repositories"], repo)}: policies.repositories: unknown repository '${repo}'`);
  }
  c.policies.waivers.forEach((w, i) => {
    if (!known.has(w.repository)) throw new ConfigError(`${at(["policies", "waivers", i, "repository"])}: policies.waivers[${i}].repository: unknown repository '${w.repository}'`);
  });
  c.claims.forEach((cl, i) => {
    const kinds = CLAIM_KINDS.filter((k) => cl[k] !== undefined);
    if (kinds.length !== 1) throw new ConfigError(`${at(["claims", i])}: claims[${i}]: give exactly one of ${CLAIM_KINDS.join(", ")}${kinds.length ? ` (found ${kinds.join(", ")})` : ""}`);
    const section = known.get(cl.project);
    if (section !== "projects" && section !== "plugins") throw new ConfigError(`${at(["claims", i, "project"])}: claims[${i}].project: unknown project or plugin '${cl.project}'`);
  });
  const store = c.store ?? "steward.db";
  const storeLocation = /^postgres(ql)?:\/\//.test(store) ? store : resolve(dirname(file), store);
  const cacheDir = resolve(dirname(file), c.cache ?? ".steward-cache");
  return { ...c, file, storeLocation, cacheDir };
}

/**
 * The `identities` section of a steward.yaml, for analysing one repository
 * (`steward community --config`): the file may be a whole portfolio or carry
 * only `version` and `identities`; either way it is validated with file and line.
 */
export function loadIdentities(path: string): PortfolioConfig["identities"] {
  return loadConfig(path, { projects: "optional" }).identities;
}

/**
 * Where key paths of a config file are (1-based lines), for results that
 * point back at the rule or waiver that decided them (the gate's SARIF).
 */
export function configLocator(file: string): (path: (string | number)[]) => number {
  const lc = new LineCounter();
  const doc = parseDocument(readFileSync(file, "utf8"), { lineCounter: lc });
  // A key's own line (`unannounced:`), not its value's first line.
  return (path) => {
    const last = path.at(-1);
    return typeof last === "string" ? lineOfPath(doc, lc, path.slice(0, -1), last) : lineOfPath(doc, lc, path);
  };
}

/** Reads `steward.yaml` (a path to the file, or a directory holding one). */
export function loadConfig(path: string, opts: { projects?: "required" | "optional" } = {}): PortfolioConfig {
  if (path.startsWith("-")) throw new ConfigError(`config path must not start with '-': ${path}`);
  let file = resolve(path);
  if (existsSync(file) && !file.endsWith(".yaml") && !file.endsWith(".yml") && existsSync(resolve(file, "steward.yaml"))) file = resolve(file, "steward.yaml");
  if (!existsSync(file)) throw new ConfigError(`config file not found: ${path}`);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigError(`cannot read config ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return parseConfig(text, file, path, opts);
}
