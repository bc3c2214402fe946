/** One SARIF 2.1.0 log with one run, as GitHub code scanning reads it: Steward's reporters fill the driver's rules and the run. */
export function sarifLog(driver: { name: string; version: string; rules: unknown[] }, run: Record<string, unknown> & { results: unknown[] }): unknown {
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver: { name: driver.name, version: driver.version, informationUri: "https://github.com/steward/steward", rules: driver.rules } }, ...run }],
  };
}

/**
 * A repository path as a SARIF `artifactLocation.uri`: SARIF requires an RFC 3986 URI reference,
 * so each segment is percent-encoded. Written raw, `a#b.py` would be read as `a` with a fragment,
 * `50%.py` as a broken escape and `a b.py` is rejected by validators. `path` uses `/` as git does
 * (a backslash is part of a name there, so it is encoded too); a lone surrogate (not
 * UTF-8-encodable) becomes U+FFFD. An absolute path (a steward.yaml given as /abs/steward.yaml)
 * is a `file://` URI: a relative reference may not start with a slash (SARIF1004).
 * `decodeURIComponent(uri)` gives a relative path back.
 */
export function sarifUri(path: string): string {
  const wellFormed = path.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
  const encoded = wellFormed.split("/").map(encodeURIComponent).join("/");
  return wellFormed.startsWith("/") ? `file://${encoded}` : encoded;
}
