import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/**
 * CLI tests run dist/: rebuild it when any src/ file is newer than its compiled output (or has
 * none), so a test never passes on stale code. `npm test` builds first, so this usually only checks.
 */
const ROOT = resolve(import.meta.dirname, "..");

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) yield p;
  }
}

export function staleOutputs(): string[] {
  const stale: string[] = [];
  const config = statSync(join(ROOT, "tsconfig.build.json")).mtimeMs;
  for (const src of sources(join(ROOT, "src"))) {
    const out = join(ROOT, "dist", relative(join(ROOT, "src"), src).replace(/\.ts$/, ".js"));
    if (!existsSync(out)) stale.push(out);
    else {
      const built = statSync(out).mtimeMs;
      if (built < statSync(src).mtimeMs || built < config) stale.push(out);
    }
  }
  return stale;
}

export default function setup(): void {
  const stale = staleOutputs();
  if (stale.length === 0) return;
  process.stderr.write(`dist/ is older than src/ (${stale.length} file(s), e.g. ${relative(ROOT, stale[0]!)}): building\n`);
  execFileSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
  const still = staleOutputs();
  if (still.length) throw new Error(`dist/ is still older than src/ after building: ${relative(ROOT, still[0]!)}`);
}
