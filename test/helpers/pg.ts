/**
 * The PostgreSQL store tests need a server: STEWARD_TEST_PG_URL names one (CI starts it). Without
 * it those blocks are reported as skipped, with this reason in their title, never silently absent.
 */
export const PG_URL = process.env.STEWARD_TEST_PG_URL;

export const PG_SKIP_REASON = "skipped: STEWARD_TEST_PG_URL is not set (CI sets it)";

/** The title of a PostgreSQL block: with the reason it is skipped when no server is configured. */
export function pgTitle(title: string): string {
  return PG_URL ? title : `${title} (${PG_SKIP_REASON})`;
}
