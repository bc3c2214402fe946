// Runs the Steward CLI in this process and reports this process's own peak RSS (its git children
// are not counted, unlike GNU time on the whole tree): `node bench/self-rss.mjs <cli args...>`.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "cli", "main.js");
process.on("exit", () => process.stderr.write(`\nself-max-rss-kb ${process.resourceUsage().maxRSS}\n`));
process.argv = [process.argv[0], cli, ...process.argv.slice(2)];
await import(cli);
