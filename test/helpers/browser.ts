import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's chromium (CI installs it: .ci/run); STEWARD_CHROMIUM overrides the path. */
export const CHROMIUM = process.env.STEWARD_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Flags for a root, sandbox-less, offline run: without the background-networking
 * ones chromium tries to reach its update and sync services.
 */
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Launches chromium, or fails (never skips) with how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`chromium not found at ${CHROMIUM}: the dashboard's browser tests need Debian's chromium (apt-get install -y chromium; .ci/run installs it) or STEWARD_CHROMIUM=/path/to/chromium`);
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export interface Visit {
  consoleErrors: string[];
  requests: string[];
}

/** Loads a URL, recording console errors, page errors and every request the page made. */
export async function visit(page: Page, url: string): Promise<Visit> {
  const v: Visit = { consoleErrors: [], requests: [] };
  const onConsole = (m: { type: () => string; text: () => string }) => {
    if (m.type() === "error" || m.type() === "warning") v.consoleErrors.push(`${m.type()}: ${m.text()}`);
  };
  const onError = (e: Error) => v.consoleErrors.push(`pageerror: ${e.message}`);
  const onRequest = (r: { url: () => string }) => v.requests.push(r.url());
  page.on("console", onConsole);
  page.on("pageerror", onError);
  page.on("request", onRequest);
  try {
    const res = await page.goto(url, { waitUntil: "load" });
    if (res && !res.ok() && !url.startsWith("file:")) v.consoleErrors.push(`HTTP ${res.status()} for ${url}`);
  } finally {
    page.off("console", onConsole);
    page.off("pageerror", onError);
    page.off("request", onRequest);
  }
  return v;
}
