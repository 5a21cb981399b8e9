// Mutation testing (StrykerJS): `pnpm mutate`. See the README's contributing section.
// One package: `pnpm mutate --mutate 'packages/core/src/**/*.ts'` (or a file, or a line
// range `packages/core/src/send-buttons.ts:120-160`); the CLI's --mutate replaces the list
// below. CI: `pnpm mutate --incremental`, which reuses reports/stryker-incremental.json.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "pnpm",
  testRunner: "vitest",
  vitest: { configFile: "stryker.vitest.config.ts", related: true },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    "packages/{core,http-transport,adapters-*}/src/**/*.ts",
    // Re-exports, interfaces, and the DI tokens' symbol descriptions: nothing to mutate.
    "!packages/*/src/**/index.ts",
    "!packages/core/src/ports/**",
    "!packages/core/src/tokens.ts",
    // Test support shipped for users' tests (in-memory ports, the conformance suite): it is
    // exercised by the suites, not specified by them.
    "!packages/core/src/testing/**",
    "!packages/core/src/conformance/**",
    "!packages/http-transport/src/testing.ts",
  ],
  coverageAnalysis: "perTest",
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 10_000,
  thresholds: { high: 95, low: 90, break: 90 },
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
