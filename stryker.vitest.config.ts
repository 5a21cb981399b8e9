import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

// The tests Stryker runs against each mutant: the tests of the packages it mutates (core,
// http-transport, the adapters). The server's and the simulator's suites are left out —
// they start servers and build bundles, and the code they would catch a mutant in is
// the packages' own tests' job.
export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: [
        "packages/{core,http-transport,adapters-*}/src/**/*.test.ts",
        "packages/{core,http-transport,adapters-*}/test/**/*.test.ts",
      ],
      setupFiles: ["./stryker.vitest.setup.ts"],
    },
  }),
);
