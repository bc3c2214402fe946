import { existsSync, readFileSync } from "node:fs";
import { parse } from "yaml";
import { z } from "zod";
import { ConfigError } from "../../errors.js";
import type { Baseline, ConfigWaiver } from "./lint.js";
import { PACKS, RULES, type RulePack } from "./packs.js";

/**
 * The lint's inputs from files: a custom rule pack (YAML), waivers with
 * reasons (YAML), a baseline (JSON). Each is validated; an error names the
 * file and the key, and the CLI exits 2.
 */

const ruleIds = RULES.map((r) => r.id) as [string, ...string[]];

const packSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  name: z.string().min(1),
  abstraction: z.string().min(1),
  exempt: z.array(z.string().min(1)).default([]),
  waiverComments: z.partialRecord(z.union([z.enum(ruleIds), z.literal("*")]), z.array(z.string().min(1))).default({}),
  rules: z.partialRecord(z.enum(ruleIds), z.string().min(1)),
  detect: z.array(z.string()).default([]),
  source: z.string().default(""),
});

const waiversSchema = z.strictObject({
  waivers: z.array(z.strictObject({ path: z.string().min(1), rule: z.enum(ruleIds).optional(), reason: z.string().min(1) })),
});

const baselineSchema = z.strictObject({
  schemaVersion: z.literal(1),
  findings: z.array(z.strictObject({ rule: z.string(), file: z.string(), snippet: z.string(), count: z.number().int().positive() })),
});

function read(file: string, what: string): string {
  if (file.startsWith("-")) throw new ConfigError(`${what} path must not start with '-': ${file}`);
  if (!existsSync(file)) throw new ConfigError(`${what} not found: ${file}`);
  return readFileSync(file, "utf8");
}

function check<T>(schema: z.ZodType<T>, raw: unknown, file: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const key = issue.path.map((k) => (typeof k === "number" ? `[${k}]` : `.${String(k)}`)).join("").replace(/^\./, "") || "(top level)";
  const detail = issue.code === "unrecognized_keys" ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}` : issue.message;
  throw new ConfigError(`${file}: ${key}: ${detail}`);
}

function parseYaml(text: string, file: string): unknown {
  try {
    return parse(text, { uniqueKeys: true });
  } catch (e) {
    throw new ConfigError(`${file}: invalid YAML: ${(e instanceof Error ? e.message : String(e)).split("\n")[0]}`);
  }
}

/** A built-in pack id, or a YAML file holding one pack. */
export function loadPack(idOrFile: string | undefined): RulePack | string | undefined {
  if (idOrFile === undefined || PACKS.some((p) => p.id === idOrFile)) return idOrFile;
  if (!/\.ya?ml$/.test(idOrFile) && !existsSync(idOrFile)) return idOrFile; // an unknown id: choosePack names the known ones
  const pack = check(packSchema, parseYaml(read(idOrFile, "rule pack"), idOrFile), idOrFile);
  // zod's partial records hold no undefined values once parsed.
  return pack as RulePack;
}

export function loadWaivers(file: string | undefined): ConfigWaiver[] {
  if (!file) return [];
  return waiversFrom(parseYaml(read(file, "waivers file"), file), file);
}

/** Waivers given as data (`{waivers: [...]}`), e.g. steward.yaml's `policies.neutrality`; `label` names them in errors. */
export function waiversFrom(raw: unknown, label: string): ConfigWaiver[] {
  return check(waiversSchema, raw, label).waivers.map((w) => ({ path: w.path, reason: w.reason, ...(w.rule ? { rule: w.rule } : {}) }));
}

export function loadBaseline(file: string | undefined): Baseline | undefined {
  if (!file) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(read(file, "baseline"));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`${file}: invalid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return check<Baseline>(baselineSchema, raw, file);
}
