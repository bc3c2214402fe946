/** One SARIF 2.1.0 log with one run, as GitHub code scanning reads it: Steward's reporters fill the driver's rules and the run. */
export function sarifLog(driver: { name: string; version: string; rules: unknown[] }, run: Record<string, unknown> & { results: unknown[] }): unknown {
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver: { name: driver.name, version: driver.version, informationUri: "https://github.com/steward/steward", rules: driver.rules } }, ...run }],
  };
}
