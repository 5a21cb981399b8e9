import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { readmes, tsBlocks } from "../scripts/check-readme.mjs";
import { root } from "../scripts/pack.mjs";

describe("check:readme's reading of markdown", () => {
  it("finds each ts block with the README line its code starts on", () => {
    const markdown = [
      "# Title", // 1
      "", // 2
      "```ts", // 3
      'const a = "a";', // 4
      "```", // 5
      "```json", // 6
      "{}", // 7
      "```", // 8
      "```typescript", // 9
      "const b = 2;", // 10
      "const c = 3;", // 11
      "```", // 12
    ].join("\n");
    expect(tsBlocks(markdown)).toEqual([
      { line: 4, code: 'const a = "a";', prelude: "", skip: false },
      { line: 10, code: "const b = 2;\nconst c = 3;", prelude: "", skip: false },
    ]);
  });

  it("takes the prelude from an HTML comment right above the block, over several lines", () => {
    const markdown = [
      "Some text.",
      "<!-- ts-prelude: import type { X } from 'x';",
      "declare const x: X; -->",
      "",
      "```ts",
      "x;",
      "```",
      "<!-- an ordinary comment -->",
      "```ts",
      "y;",
      "```",
    ].join("\n");
    const [first, second] = tsBlocks(markdown);
    expect(first?.prelude).toBe("import type { X } from 'x';\ndeclare const x: X;");
    expect(second?.prelude).toBe("");
  });

  it("marks ```ts nocheck blocks as skipped and refuses a block that never closes", () => {
    expect(tsBlocks("```ts nocheck\npartial(\n```")).toEqual([
      { line: 2, code: "partial(", prelude: "", skip: true },
    ]);
    expect(() => tsBlocks("text\n```ts\nconst a = 1;\n")).toThrow(/line 2: .* never closes/);
  });

  it("reads the repository's README and every package's", () => {
    const files = readmes().map((file) => relative(root, file));
    expect(files).toEqual(
      expect.arrayContaining([
        "README.md",
        "packages/core/README.md",
        "packages/http-hono/README.md",
      ]),
    );
  });
});
