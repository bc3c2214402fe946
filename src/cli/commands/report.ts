import { Command, InvalidArgumentError } from "commander";

/** Adds `steward report` and `steward serve` (the dashboard) to the program. */
export function registerReport(program: Command): void {
  for (const cmd of [reportCommand(), serveCommand()]) program.addCommand(cmd.copyInheritedSettings(program));
}
import { serveDashboard, writeReport } from "../../index.js";

/** `steward report [CONFIG|DIR] [--out DIR]`: the static dashboard; prints the path of its index.html. */
function reportCommand(): Command {
  return new Command("report")
    .summary("write the dashboard as a static site from the store (works from file://, no other host)")
    .description("Portfolio, fork, project and plugin pages with charts and their numbers, from the results store (read-only).\nPrints the path of the report's index.html.")
    .argument("[config]", "steward.yaml, or a directory holding one", "steward.yaml")
    .option("--out <dir>", "where to write the site (default: steward-report/ beside the config)")
    .option("--json", "print a summary as JSON (index, files, bytes, largest page)")
    .action(async (file: string, o: { out?: string; json?: boolean }) => {
      const r = await writeReport(file, o.out ? { out: o.out } : {});
      process.stdout.write(o.json ? JSON.stringify(r, null, 2) + "\n" : `${r.index}\n`);
    });
}

function portOf(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError("a port number 0..65535 (0 picks a free one)");
  return n;
}

/** `steward serve [CONFIG|DIR] [--host 127.0.0.1] [--port 8080]`: the pages live, plus /api JSON; runs until interrupted. */
function serveCommand(): Command {
  return new Command("serve")
    .summary("serve the dashboard live from the store, plus /api JSON (loopback unless --host says otherwise)")
    .argument("[config]", "steward.yaml, or a directory holding one", "steward.yaml")
    .option("--host <address>", "interface to listen on", "127.0.0.1")
    .option("--port <n>", "port (0 picks a free one)", portOf, 8080)
    .action(async (file: string, o: { host: string; port: number }) => {
      const server = await serveDashboard(file, { host: o.host, port: o.port });
      process.stdout.write(`Serving the dashboard of ${file} at ${server.url} (read-only; Ctrl-C stops)\n`);
      if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(o.host)) process.stderr.write(`steward: listening on ${o.host}: anyone who can reach this address can read the dashboard\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          done();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await server.close();
    });
}
