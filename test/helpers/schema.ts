import { readdirSync, readFileSync } from "node:fs";
import { expect } from "vitest";

/** Asserts that `value`, as it would be printed by `--json`, validates against docs/schema/<schema>.schema.json. */
export async function expectMatchesSchema(schema: string, value: unknown): Promise<void> {
  const { Ajv2020 } = await import("ajv/dist/2020.js");
  // Every schema is known, so one may $ref another (scan --json holds fetch --json's summary).
  const ajv = new Ajv2020({ strict: false });
  for (const f of readdirSync("docs/schema")) if (f !== `${schema}.schema.json` && f.endsWith(".schema.json")) ajv.addSchema(JSON.parse(readFileSync(`docs/schema/${f}`, "utf8")));
  const validate = ajv.compile(JSON.parse(readFileSync(`docs/schema/${schema}.schema.json`, "utf8")));
  expect(validate(JSON.parse(JSON.stringify(value))), JSON.stringify(validate.errors)).toBe(true);
}
