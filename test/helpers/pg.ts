/**
 * The PostgreSQL store tests need a server: STEWARD_TEST_PG_URL names one (CI starts it). Without
 * it those blocks are reported as skipped, with this reason in their title and on the test file's
 * output, never silently absent.
 */
export const PG_URL = process.env.STEWARD_TEST_PG_URL;

export const PG_SKIP_REASON = "skipped: STEWARD_TEST_PG_URL is not set (CI sets it)";

/** The title of a PostgreSQL block: with the reason it is skipped when no server is configured. */
export function pgTitle(title: string): string {
  if (PG_URL) return title;
  // The default reporter does not list skipped tests by name: say it on the file's output too.
  console.warn(`${title}: ${PG_SKIP_REASON}`);
  return `${title} (${PG_SKIP_REASON})`;
}
