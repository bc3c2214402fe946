import { z } from "zod";
import { LAYERS } from "../analyzers/neutrality/paths.js";
import { RULES } from "../analyzers/neutrality/packs.js";

/**
 * The gate's part of steward.yaml: `policies` (rules with thresholds and a
 * human reason, per-repository overrides, waivers) and `claims`. Validated by
 * the config's zod schema, so an unknown policy, a threshold of the wrong type
 * or a waiver without reason or expiry is a one-line error naming file, line
 * and key.
 */

const reason = z.string().min(1);
const share = z.number().min(0).max(1);
const count = z.number().int().min(0);
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "a name: letters, digits, '.', '_' or '-'");
const pin = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*==[^=\s]+$/, "NAME==VERSION");

/** Every rule: its thresholds and the reason shown when it fails. */
const RULE_SHAPES = {
  neutrality: {
    /** No new lint findings beyond a baseline (the findings the scan's lint reports, minus inline and config waivers). */
    lint: { baseline: z.string().min(1).optional(), maxNew: count.default(0) },
    /** Ceilings on a layer's top-vendor share of lines. */
    concentration: { maxTopShare: z.partialRecord(z.enum(LAYERS), share) },
  },
  api: {
    /** No break without a deprecation in an earlier release, in the newest `releases` releases. */
    unannounced: { releases: z.number().int().min(1).default(1) },
    /** Minimum grace between the first deprecation marker and the removal. */
    grace: { minReleases: count.optional(), minDays: count.optional(), releases: z.number().int().min(1).default(1) },
    /** The version change of a release must be at least the bump its API changes call for. */
    bump: { releases: z.number().int().min(1).default(1) },
  },
  drift: {
    /** A fork's private debt may not grow by more than this percentage from one fork release to the next. */
    debtGrowth: { maxPercent: z.number().min(0) },
    /** The newest fork ref's base may not be older than this. */
    baseAge: { maxDays: count },
  },
  community: {
    /** Floor on the elephant factor's worst bound over the rolling window of the newest period. */
    elephantFactor: { min: z.number().int().min(1) },
    /** Ceiling on the top organisation's share of commits (worst bound, rolling window). */
    topShare: { max: share },
    /** Ceiling on the share of CODEOWNERS-owned lines whose every owner is one organisation. */
    ownership: { maxSingleOrganizationShare: share },
  },
  deps: {
    /** Upgrade lag ceiling: days until a dependent release admits a project release. */
    lag: { maxDays: count },
    /** Declared companion releases must be co-installable (each dependent release admits each project release of the set). */
    companions: { sets: z.array(z.array(pin).min(2)).min(1) },
  },
} as const;

export type PolicyGroup = keyof typeof RULE_SHAPES;

/** Policy ids, `group.rule`, as waivers and results name them. */
export const POLICY_IDS = Object.entries(RULE_SHAPES).flatMap(([g, rules]) => Object.keys(rules).map((r) => `${g}.${r}`)) as [string, ...string[]];

const ruleIds = RULES.map((r) => r.id) as [string, ...string[]];
/** The neutrality lint's own waivers (path glob, optional rule, reason), applied by the scan. */
const lintWaiver = z.strictObject({ path: z.string().min(1), rule: z.enum(ruleIds).optional(), reason: z.string().min(1) });

function groupSchema<G extends PolicyGroup>(g: G, partial: boolean) {
  const shape: Record<string, z.ZodType> = {};
  for (const [rule, fields] of Object.entries(RULE_SHAPES[g])) {
    const f = fields as Record<string, z.ZodType>;
    // An override may change thresholds without repeating the reason (and without defaults that would
    // overwrite the portfolio's values), or switch the rule off with `false`.
    const loose = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, (v instanceof z.ZodDefault ? (v.unwrap() as z.ZodType) : v).optional()]));
    shape[rule] = (partial ? z.union([z.literal(false), z.strictObject({ reason: reason.optional(), ...loose })]) : z.strictObject({ reason, ...f })).optional();
  }
  if (g === "neutrality" && !partial) shape.waivers = z.array(lintWaiver).optional();
  return z.strictObject(shape);
}

const waiver = z.strictObject({
  policy: z.enum(POLICY_IDS),
  repository: name,
  /** An object path (api), a path glob, a finding fingerprint, or "*" for all of that policy's findings in that repository. */
  match: z.string().min(1),
  reason,
  owner: z.string().min(1),
  expires: z.iso.date(),
});

const groups = (partial: boolean) => ({
  neutrality: groupSchema("neutrality", partial).optional(),
  api: groupSchema("api", partial).optional(),
  drift: groupSchema("drift", partial).optional(),
  community: groupSchema("community", partial).optional(),
  deps: groupSchema("deps", partial).optional(),
});

export const policiesSchema = z
  .strictObject({
    ...groups(false),
    /** Per-repository overrides: repository name -> the same groups, thresholds only, `false` to switch a rule off. */
    repositories: z.record(name, z.strictObject(groups(true))).default({}),
    waivers: z.array(waiver).default([]),
  })
  .default({ repositories: {}, waivers: [] });

export const claimsSchema = z
  .array(
    z.strictObject({
      project: name,
      /** The claim as people read it (a badge label); default: generated from the proof. */
      claim: z.string().min(1).optional(),
      /** "Deprecation policy": every API break was announced at least this long before. */
      deprecation: z.strictObject({ releases: z.number().int().min(1), days: count.optional(), since: z.iso.date().optional() }).optional(),
      /** "Supports these vendors": code, tests and CI for each. */
      supports: z.array(z.string().min(1)).min(1).optional(),
      /** "No single-vendor ownership of PATH": no CODEOWNERS rule covering it names owners of one organisation only. */
      ownership: z.strictObject({ path: z.string().min(1) }).optional(),
    }),
  )
  .default([]);

export type Policies = z.infer<typeof policiesSchema>;
export type Waiver = Policies["waivers"][number];
export type ClaimSpec = z.infer<typeof claimsSchema>[number];
export type ClaimKind = "deprecation" | "supports" | "ownership";
export const CLAIM_KINDS: readonly ClaimKind[] = ["deprecation", "supports", "ownership"];

/** A rule's settings after overrides: thresholds plus the reason. */
export type RuleSettings = Record<string, unknown> & { reason: string };

/**
 * The rule `id` as it applies to `repository`: the portfolio's settings with
 * the repository's override merged over them; null when the rule is not set
 * or is switched off for that repository.
 */
export function ruleFor(p: Policies, id: string, repository: string): RuleSettings | null {
  const [g, r] = id.split(".") as [PolicyGroup, string];
  const base = (p[g])?.[r] as RuleSettings | undefined;
  const over = (p.repositories[repository]?.[g])?.[r] as Partial<RuleSettings> | false | undefined;
  if (over === false) return null;
  if (!base && !over) return null;
  const merged = { ...(base ?? {}), ...(over ?? {}) } as RuleSettings;
  return merged.reason ? merged : { ...merged, reason: id };
}
