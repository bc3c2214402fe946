import { readFileSync } from "node:fs";
import { expect } from "vitest";

/** Asserts that `value`, as it would be printed by `--json`, validates against docs/schema/<schema>.schema.json. */
export async function expectMatchesSchema(schema: string, value: unknown): Promise<void> {
  const { Ajv2020 } = await import("ajv/dist/2020.js");
  const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(`docs/schema/${schema}.schema.json`, "utf8")));
  expect(validate(JSON.parse(JSON.stringify(value))), JSON.stringify(validate.errors)).toBe(true);
}
