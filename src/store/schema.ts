import type { Generated } from "kysely";

/**
 * The results store, the same tables in SQLite and (later) PostgreSQL,
 * reached only through kysely. One row per analyzer result, keyed by the
 * analyzer's version and the commit ids it read, so an unchanged repository
 * is recognised without running anything.
 */
export const STORE_SCHEMA_VERSION = 1;

export interface MetaTable {
  key: string;
  value: string;
}

export interface ResultTable {
  id: Generated<number>;
  repository: string;
  analyzer: string;
  /** sha256 of analyzer version + input commit ids (+ options). */
  input_key: string;
  /** ISO time the result was written. */
  computed_at: string;
  /** 1 ok, 0 failed (error holds the message). */
  ok: number;
  error: string | null;
  /** The analyzer's JSON result. */
  result: string | null;
}

export interface PointTable {
  id: Generated<number>;
  result_id: number;
  repository: string;
  analyzer: string;
  /** The ref (e.g. a fork release branch) the point is about. */
  ref: string;
  /** Date of the point (the ref's commit date). */
  date: string;
  metric: string;
  value: number;
}

export interface ScanTable {
  id: Generated<number>;
  started_at: string;
  finished_at: string | null;
  config: string;
  analysed: number;
  skipped: number;
  failed: number;
}

export interface StoreDatabase {
  meta: MetaTable;
  result: ResultTable;
  point: PointTable;
  scan: ScanTable;
}
