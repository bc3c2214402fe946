import pg from "pg";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/store.js";

/**
 * A PostgreSQL server that drops the store's connection while the store holds it between two
 * queries (inside a transaction) must fail the next query, not kill the process: pg emits
 * "error" on a checked-out client, which has no pool listener.
 */
const PG = process.env.STEWARD_TEST_PG_URL;

describe.skipIf(!PG)("PostgreSQL store, connection dropped between two queries", () => {
  it("fails the next query with the driver's error and nothing uncaught", async () => {
    const db = `steward_dropped_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.query(`CREATE DATABASE ${db}`);
    const store = await openStore(PG!.replace(/\/[^/]*$/, `/${db}`));
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.prependListener("uncaughtException", onUncaught);
    try {
      const outcome = store.transaction().execute(async (tx) => {
        await tx.selectFrom("meta").select("value").execute();
        // The server terminates this session while the client is checked out and idle.
        await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [db]);
        await new Promise((r) => setTimeout(r, 300));
        await tx.selectFrom("meta").select("value").execute();
      });
      await expect(outcome).rejects.toThrow(/terminat|Connection/i);
      expect(uncaught).toEqual([]);
    } finally {
      process.removeListener("uncaughtException", onUncaught);
      await store.destroy().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
  });
});

describe.skipIf(PG)("PostgreSQL store, connection dropped between two queries", () => {
  it.skip("needs STEWARD_TEST_PG_URL (CI starts a server with .ci/postgres.sh)", () => undefined);
});
