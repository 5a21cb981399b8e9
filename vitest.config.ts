import { defineConfig } from "vitest/config";

// Tests run against each package's TypeScript sources (the "@replykit/source" export
// condition), so the suite never depends on a stale dist/.
export default defineConfig({
  resolve: { conditions: ["@replykit/source"] },
  ssr: { resolve: { conditions: ["@replykit/source"] } },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      // The packed packages installed outside the workspace: needs `pnpm build` first.
      "tests/**/*.test.ts",
    ],
    environment: "node",
    testTimeout: 20_000,
  },
});
