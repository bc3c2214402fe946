import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql, type ColumnDefinitionBuilder } from "kysely";
import pg from "pg";
import { InputError, StewardError } from "../errors.js";
import { storeLabel } from "./label.js";
import { STORE_SCHEMA_VERSION, type StoreDatabase } from "./schema.js";

export type Store = Kysely<StoreDatabase>;
export { storeLabel };

/**
 * Opens (creating and migrating) the results store: SQLite for a file path,
 * PostgreSQL for a `postgres://` URL, the same schema through one query layer.
 * A store written by a newer Steward is refused before anything is written.
 */
export async function openStore(location: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(location)) return openPostgres(location);
  const fresh = !existsSync(location);
  let sqlite: Database.Database;
  try {
    if (fresh) mkdirSync(dirname(location), { recursive: true });
    sqlite = new Database(location);
  } catch (e) {
    throw new InputError(`cannot open store ${location}: ${systemMessage(e)}`);
  }
  try {
    // WAL: a killed scan leaves every committed transaction intact and readers unblocked.
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("busy_timeout = 5000");
  } catch (e) {
    // A file that is not a database (or a damaged one) is bad input, named, never overwritten.
    sqlite.close();
    throw new InputError(`cannot open store ${location}: ${systemMessage(e)}`);
  }
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrate(db, location, "sqlite");
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return db;
}

/** An error's message without Node's "ECODE: " prefix: "not a directory, mkdir 'x'". */
function systemMessage(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/^E[A-Z]+: ([^,]+),.*$/s, "$1");
}

/**
 * Opens the store for reading only (`steward status`, `report`, `serve`):
 * nothing is created, migrated or written. Returns null when there is no
 * store yet (a never-scanned portfolio): no file, or a PostgreSQL database
 * without Steward's tables. A store written by a newer Steward is refused.
 */
export async function openStoreReadOnly(location: string): Promise<Store | null> {
  const postgres = /^postgres(ql)?:\/\//.test(location);
  const shown = storeLabel(location);
  let db: Store;
  if (postgres) {
    // Every transaction of the session is read-only: a bug that tried to write would fail, not write.
    const pool = new pg.Pool({ connectionString: location, max: 4, connectionTimeoutMillis: 10_000, options: "-c default_transaction_read_only=on" });
    guardPool(pool);
    db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  } else {
    if (!existsSync(location)) return null;
    let sqlite: Database.Database;
    try {
      // readonly: SQLite itself refuses writes; fileMustExist: never creates the file.
      sqlite = new Database(location, { readonly: true, fileMustExist: true });
    } catch (e) {
      throw new InputError(`cannot open store ${location}: ${e instanceof Error ? e.message : String(e)}`);
    }
    db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  try {
    let version: number;
    try {
      const row = await db.selectFrom("meta").select("value").where("key", "=", "schema_version").executeTakeFirst();
      version = row ? Number(row.value) : 0;
    } catch (e) {
      // No meta table: nothing was ever scanned into this database.
      if (/no such table|does not exist/i.test(e instanceof Error ? e.message : String(e))) version = 0;
      else throw e;
    }
    if (version > STORE_SCHEMA_VERSION) throw new InputError(`store ${shown} has schema version ${version}, newer than this Steward's ${STORE_SCHEMA_VERSION}: upgrade Steward`);
    if (version === 0) {
      await db.destroy();
      return null;
    }
    return db;
  } catch (e) {
    await db.destroy().catch(() => undefined);
    if (e instanceof StewardError) throw e;
    throw new InputError(`cannot read store ${shown}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * A connection the server drops (restart, admin termination) must surface as the next query's
 * failure (a StoreError), never as an uncaught "Connection terminated" that kills the process:
 * idle clients report to the pool's "error" event, and a client checked out of the pool (between
 * two queries of a transaction) has no pool listener, so each gets its own.
 */
function guardPool(pool: pg.Pool): void {
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
}

/** The shared store: same tables and queries through kysely's PostgreSQL dialect. */
async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  guardPool(pool);
  const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
  const shown = storeLabel(url);
  try {
    await migrate(db, shown, "postgres");
  } catch (e) {
    await db.destroy();
    if (e instanceof StewardError) throw e;
    throw new InputError(`cannot use store ${shown}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return db;
}

async function migrate(db: Store, location: string, dialect: "sqlite" | "postgres"): Promise<void> {
  // The one place the dialects differ: how an id is generated.
  const id = (c: ColumnDefinitionBuilder) => (dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey().generatedByDefaultAsIdentity());
  await db.schema.createTable("meta").ifNotExists().addColumn("key", "text", (c) => c.primaryKey()).addColumn("value", "text", (c) => c.notNull()).execute();
  const row = await db.selectFrom("meta").select("value").where("key", "=", "schema_version").executeTakeFirst();
  const version = row ? Number(row.value) : 0;
  if (version > STORE_SCHEMA_VERSION) {
    throw new InputError(`store ${location} has schema version ${version}, newer than this Steward's ${STORE_SCHEMA_VERSION}: upgrade Steward`);
  }
  if (version === STORE_SCHEMA_VERSION) return;
  await db.transaction().execute(async (tx) => {
    await tx.schema
      .createTable("result")
      .ifNotExists()
      .addColumn("id", "integer", id)
      .addColumn("repository", "text", (c) => c.notNull())
      .addColumn("analyzer", "text", (c) => c.notNull())
      .addColumn("input_key", "text", (c) => c.notNull())
      .addColumn("computed_at", "text", (c) => c.notNull())
      .addColumn("ok", "integer", (c) => c.notNull())
      .addColumn("error", "text")
      .addColumn("result", "text")
      .addUniqueConstraint("result_key", ["repository", "analyzer", "input_key"])
      .execute();
    await tx.schema
      .createTable("point")
      .ifNotExists()
      .addColumn("id", "integer", id)
      .addColumn("result_id", "integer", (c) => c.notNull().references("result.id").onDelete("cascade"))
      .addColumn("repository", "text", (c) => c.notNull())
      .addColumn("analyzer", "text", (c) => c.notNull())
      .addColumn("ref", "text", (c) => c.notNull())
      .addColumn("date", "text", (c) => c.notNull())
      .addColumn("metric", "text", (c) => c.notNull())
      .addColumn("value", "real", (c) => c.notNull())
      .execute();
    await tx.schema
      .createTable("scan")
      .ifNotExists()
      .addColumn("id", "integer", id)
      .addColumn("started_at", "text", (c) => c.notNull())
      .addColumn("finished_at", "text")
      .addColumn("config", "text", (c) => c.notNull())
      .addColumn("analysed", "integer", (c) => c.notNull())
      .addColumn("skipped", "integer", (c) => c.notNull())
      .addColumn("failed", "integer", (c) => c.notNull())
      .execute();
    await sql`CREATE INDEX IF NOT EXISTS point_series ON point (repository, analyzer, metric, date)`.execute(tx);
    await tx
      .insertInto("meta")
      .values({ key: "schema_version", value: String(STORE_SCHEMA_VERSION) })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: String(STORE_SCHEMA_VERSION) }))
      .execute();
  });
}
