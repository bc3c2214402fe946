import type { AddressInfo } from "node:net";
import { serve as nodeServe } from "@hono/node-server";
import { Hono } from "hono";
import { InputError } from "../errors.js";
import { dashboardData } from "../portfolio/dashboard.js";
import { loadConfig } from "../portfolio/config.js";
import { CSP } from "../report/html/assets.js";
import { contentType, siteFile } from "./site.js";

export interface ServeOptions {
  /** Interface to bind: loopback unless told otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface RunningServer {
  url: string;
  close: () => Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

/** Headers of every answer: the CSP as a header too (frame-ancestors only works there), no sniffing, no referrer. */
const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy": `${CSP}; frame-ancestors 'none'`,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Cache-Control": "no-store",
};

/**
 * The dashboard's HTTP app: the same pages as `steward report`, rendered per
 * request from the store (read-only, so a scan running beside it shows up on
 * the next load), and /api/... with the same JSON as the CLI's --json. It
 * serves nothing else: no file system path is ever read from a URL.
 */
export function dashboardApp(configPath: string, opts: { loopbackOnly?: boolean } = {}): Hono {
  const app = new Hono();
  app.use("*", async (c, next) => {
    // DNS rebinding: a loopback server answers only requests addressed to a loopback name.
    if (opts.loopbackOnly) {
      const host = (c.req.header("host") ?? "").replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
      if (!LOOPBACK.test(host)) return c.text("Forbidden host\n", 403, SECURITY_HEADERS);
    }
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return c.text("Method not allowed\n", 405, { ...SECURITY_HEADERS, Allow: "GET, HEAD" });
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
    return undefined;
  });
  app.get("*", async (c) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(c.req.url).pathname).replace(/^\/+/, "");
    } catch {
      return c.text("Bad request\n", 400);
    }
    if (path === "") path = "index.html";
    // /api/status and /api/NAME/ANALYZER answer as their .json files do.
    if (path.startsWith("api/") && !path.endsWith(".json")) path += ".json";
    const data = await dashboardData(configPath);
    const body = siteFile(data, path, new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC (live)");
    if (body === undefined) return c.text("Not found\n", 404);
    return c.body(body, 200, { "Content-Type": contentType(path) });
  });
  return app;
}

/** `steward serve`: binds (127.0.0.1 by default) and resolves once listening, with the URL to open. */
export async function serveDashboard(configPath: string, opts: ServeOptions = {}): Promise<RunningServer> {
  // Fail on a bad config before binding anything.
  loadConfig(configPath);
  const host = opts.host ?? "127.0.0.1";
  const port = opts.port ?? 8080;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port must be 0..65535: ${port}`);
  const app = dashboardApp(configPath, { loopbackOnly: LOOPBACK.test(host) });
  return new Promise((resolveServer, reject) => {
    const server = nodeServe({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      const shownHost = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolveServer({
        url: `http://${shownHost}:${info.port}/`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
    server.once("error", (e: NodeJS.ErrnoException) => reject(new InputError(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`)));
  });
}
