import pg from "pg";
import { describe, expect, it } from "vitest";
import { PG_URL, pgTitle } from "../helpers/pg.js";
import { openStore } from "../../src/store/store.js";

/**
 * Several processes open one fresh PostgreSQL store at once (two scan --queue, a scan and its
 * workers): each must find it created and migrated, none fail on PostgreSQL's catalog
 * ("duplicate key value violates unique constraint pg_type_typname_nsp_index").
 */
describe.skipIf(!PG_URL)(pgTitle("PostgreSQL store opened by several at once"), () => {
  it("migrates once; every opener gets a working store", async () => {
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    try {
      for (let round = 0; round < 3; round++) {
        const db = `steward_migrate_${process.pid}_${round}`;
        await admin.query(`DROP DATABASE IF EXISTS ${db}`);
        await admin.query(`CREATE DATABASE ${db}`);
        const url = PG_URL!.replace(/\/[^/]*$/, `/${db}`);
        const stores = await Promise.all(Array.from({ length: 4 }, () => openStore(url)));
        try {
          for (const s of stores) expect(await s.selectFrom("meta").select("value").where("key", "=", "schema_version").execute()).toEqual([{ value: "1" }]);
        } finally {
          await Promise.all(stores.map((s) => s.destroy()));
        }
        await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      }
    } finally {
      await admin.end();
    }
  });
});
