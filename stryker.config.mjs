// Mutation testing (StrykerJS 9.6, the last line that runs on Node 20): `pnpm mutate`.
// See the README's contributing section.
//
// - Everything: `pnpm mutate` (core, http-transport and the adapters; measured one package at
//   a time on one shared core: http-transport 16 min, core 52 min, the adapters 30 min).
// - Some packages: `MUTATE_PACKAGES=core pnpm mutate`, or `MUTATE_PACKAGES=core,adapters-zapi`.
// - One file or a line range: `pnpm mutate --mutate packages/core/src/send-buttons.ts:120-160`
//   (the CLI's --mutate replaces the list below; several entries are comma-separated).
// - Only what changed since reports/stryker-incremental.json (what CI runs, after the tests):
//   `pnpm mutate --incremental`. On the whole list: a run over fewer files re-tests those and
//   carries the other files' results over into the report unchecked, even when the tests that
//   killed them have changed since.
//
// The tests run against a mutant are those of the five packages (stryker.vitest.config.ts)
// that import its file and, per test, that reached the mutant in the initial run.

const packages = (process.env.MUTATE_PACKAGES ?? "")
  .split(",")
  .map((name) => name.trim())
  .filter((name) => name !== "");
const scope =
  packages.length === 0
    ? "{core,http-transport,adapters-*}"
    : packages.length === 1
      ? packages[0]
      : `{${packages.join(",")}}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "pnpm",
  testRunner: "vitest",
  vitest: { configFile: "stryker.vitest.config.ts", related: true },
  plugins: ["@stryker-mutator/vitest-runner"],
  mutate: [
    `packages/${scope}/src/**/*.ts`,
    // Re-exports, interfaces, and the DI tokens' symbol descriptions: nothing to mutate.
    "!packages/*/src/**/index.ts",
    "!packages/core/src/ports/**",
    "!packages/core/src/tokens.ts",
    // Test support shipped for users' tests (in-memory ports, the conformance suites): it is
    // exercised by the suites, not specified by them.
    "!packages/core/src/testing/**",
    "!packages/core/src/conformance/**",
    "!packages/http-transport/src/testing.ts",
  ],
  coverageAnalysis: "perTest",
  // Static mutants (code run once, as a module loads: the adapters' tables of error codes,
  // the limits) are left out unless MUTATE_STATIC=1: Stryker cannot tell which tests cover
  // them, so each runs every test related to its file — in the adapters, all 827 tests for
  // each of 295 mutants, 76 % of the estimated time for 20 % of the mutants.
  ignoreStatic: process.env.MUTATE_STATIC !== "1",
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
