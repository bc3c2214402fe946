import { defineConfig } from "vitest/config";

/**
 * The test run Stryker mutates against (`npm run mutate`): the normal suite without the dist/
 * build step (mutants live in src/; CLI tests keep running the unmutated dist/).
 * STRYKER_TESTS narrows it to some test files (comma-separated globs) for a run on one module.
 */
export default defineConfig({
  test: {
    include: process.env.STRYKER_TESTS ? process.env.STRYKER_TESTS.split(",") : ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { GIT_CONFIG_GLOBAL: "/dev/null", GIT_CONFIG_NOSYSTEM: "1" },
  },
});
