import type { Coverage } from "../../git/tree.js";
/**
 * The community result: versioned, JSON-serialisable, described by
 * docs/schema/community.schema.json.
 */
import type { AffiliationSource } from "./affiliation.js";
import type { Interval } from "./metrics.js";
import type { Ownership } from "./ownership.js";

export const COMMUNITY_SCHEMA_VERSION = 1;

export type Period = "month" | "quarter" | "year";
export type CoauthorPolicy = "author-only" | "full" | "split";

export interface OrgRow {
  name: string;
  /** Commits credited (fractional under the `split` co-author policy). */
  commits: number;
  /** Changed lines (added + deleted) of those commits. */
  lines: number;
  /** Distinct people credited for it. */
  contributors: number;
  /** Share of all human commits in the range. */
  share: number;
  /** How its commits were attributed: config affiliations vs. email domains. */
  sources: Partial<Record<AffiliationSource, number>>;
}

export interface PeriodRow {
  period: string;
  commits: number;
  lines: number;
  contributors: number;
  /** People whose first commit in the whole history falls in this period. */
  newContributors: number;
  /** Per organisation in the period: commits, changed lines, active and first-time contributors. */
  organizations: { name: string; commits: number; lines: number; contributors: number; newContributors: number }[];
  unknownCommits: number;
  coverage: number;
  elephantFactor: Interval;
  top1Share: Interval;
  /** The same over the trailing window of periods (this one and the ones before it). */
  rolling: { periods: number; elephantFactor: Interval; top1Share: Interval };
}

export interface CommunityResult {
  schemaVersion: number;
  ref: string;
  commit: string;
  range: { since: string | null; until: string | null };
  period: Period;
  coauthors: CoauthorPolicy;
  organizations: OrgRow[];
  unknown: { commits: number; lines: number; identities: number; bySource: Partial<Record<AffiliationSource, number>> };
  bots: { commits: number; identities: string[] };
  /** Share of human commits attributed to a known organisation. */
  coverage: number;
  elephantFactor: Interval;
  /** Contributor absence factor: the same over people. Best: people as merged with evidence; worst: also merging identities whose names match. */
  busFactor: Interval;
  top1Share: Interval;
  top2Share: Interval;
  hhi: Interval;
  totals: { commits: number; merges: number; lines: number; contributors: number; organizations: number };
  /** Every merge of identities, with its evidence. */
  merges: { person: string; name: string; emails: string[]; reasons: { email: string; reason: string }[] }[];
  periods: PeriodRow[];
  /** Organisation × top-level directory: who writes which part (changed lines). */
  areas: { area: string; lines: number; top: string | null; topShare: number; organizations: { name: string; lines: number }[] }[];
  /** Organisation × hardware vendor, over files dedicated to one vendor by name (the neutrality analyzer's rule): who writes each vendor's code. */
  vendorAreas: { vendor: string; lines: number; top: string | null; topShare: number; organizations: { name: string; lines: number }[] }[];
  /** Author organisation × reviewer/merger organisation, from trailers and committers. */
  review: {
    /** Commits with a reviewer, approver, sign-off by someone else, or a different committer. */
    reviewed: number;
    /** Each cell with up to three of its commit ids (evidence). */
    matrix: { author: string; reviewer: string; commits: number; examples: string[] }[];
    /** Of reviewed commits with both organisations known, the share reviewed or merged only within the author's organisation. */
    sameOrganizationRate: number | null;
    byOrganization: { organization: string; reviewed: number; sameOrganization: number; rate: number }[];
  };
  ownership: Ownership | null;
  warnings: string[];
  /**
   * Present only when some blobs of the history are absent (a partial clone): the paths the
   * history changes, and those whose line counts were skipped (commit counts are complete).
   */
  lineCoverage?: Coverage;
}

export interface UnknownIdentity {
  person: string;
  name: string;
  emails: string[];
  commits: number;
  lines: number;
  firstSeen: string;
  lastSeen: string;
  /** The commits of those days (evidence to check with git show). */
  firstCommit: string;
  lastCommit: string;
  /** Why no organisation: webmail or an unmatched domain. */
  source: AffiliationSource;
  evidence: string;
}

export type CommunityProgress = { kind: "stage"; stage: string } | { kind: "commits"; done: number };
