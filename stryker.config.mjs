// Mutation testing of the modules that decide verdicts (docs/testing.md). Not part of `npm test`
// nor of CI: a bench-like run, `npm run mutate`, incremental (a re-run only tests changed mutants).
// One module: npm run mutate -- --mutate src/analyzers/community/metrics.ts
// (STRYKER_TESTS=test/community/rules.test.ts narrows the tests it runs).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.ts", related: false },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  mutate: [
    "src/analyzers/drift/classify.ts",
    "src/analyzers/drift/rollup.ts",
    "src/analyzers/drift/lines.ts",
    "src/analyzers/api/diff.ts",
    "src/analyzers/deps/portfolio.ts",
    "src/analyzers/deps/witness.ts",
    "src/analyzers/deps/requirements.ts",
    "src/analyzers/community/metrics.ts",
    "src/analyzers/community/affiliation.ts",
    "src/analyzers/neutrality/taxonomy.ts",
    "src/analyzers/neutrality/lint.ts",
    "src/analyzers/neutrality/footprint.ts",
    "src/analyzers/neutrality/scopes.ts",
    "src/portfolio/config.ts",
    "src/gate/judge.ts",
  ],
  ignorePatterns: ["steward-demo", "reports", ".steward-cache"],
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 90, low: 80, break: null },
  concurrency: 1,
  timeoutMS: 30_000,
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
