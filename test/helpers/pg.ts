import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";

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

/**
 * A PostgreSQL server of the test's own (started by .ci/postgres.sh on another port and directory),
 * for tests that stop and restart the server: the shared one other test files use stays up.
 */
export interface PrivateServer {
  url: string;
  stop: () => void;
  start: () => void;
  destroy: () => void;
}

export function privateServer(port: number, dir: string): PrivateServer {
  const env = { ...process.env, STEWARD_PG_PORT: String(port), STEWARD_PG_DIR: dir };
  const url = execFileSync("bash", [resolve(import.meta.dirname, "../../.ci/postgres.sh")], { env, encoding: "utf8" }).trim();
  // The script reuses a server already answering on the port: never take (and later stop) someone else's.
  if (!existsSync(`${dir}/data/PG_VERSION`)) throw new Error(`port ${port} is taken by another PostgreSQL server: pick another`);
  const bin = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(a) - Number(b)).at(-1)!;
  const pgCtl = `/usr/lib/postgresql/${bin}/bin/pg_ctl`;
  // As .ci/postgres.sh: the server runs as postgres when the tests run as root.
  const run = (cmd: string) => (process.getuid?.() === 0 ? execFileSync("su", ["postgres", "-s", "/bin/bash", "-c", cmd], { stdio: "ignore" }) : execFileSync("bash", ["-c", cmd], { stdio: "ignore" }));
  return {
    url,
    stop: () => run(`${pgCtl} -s -D ${dir}/data -m fast -w stop`),
    start: () => run(`${pgCtl} -s -D ${dir}/data -l ${dir}/log -o '-h 127.0.0.1 -p ${port} -k ${dir}' -w start`),
    destroy: () => {
      try {
        run(`${pgCtl} -s -D ${dir}/data -m immediate -w stop`);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
