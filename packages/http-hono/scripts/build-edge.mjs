// Bundles the Workers entry the way wrangler would (ESM, browser/worker conditions, no
// Node built-ins), fails if anything in it needs Node, and prints its minified and
// gzipped sizes. Usage: node scripts/build-edge.mjs [outfile]
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The most the bundle may weigh, minified and gzipped, in bytes: what it weighed with this
 * branch and the core's zod/mini and effect work together (63 381 bytes, 2026-11-30), rounded
 * up, under issue 11's ceiling of 64 KiB (65 536). The test `test/edge-bundle.budget.test.ts`
 * builds the bundle and fails above it; lower it when a change makes the bundle lighter, never
 * raise it past 64 KiB.
 */
export const EDGE_BUNDLE_BUDGET = 64_000;

/**
 * zod's `z` namespace re-exports all of its message locales (some 60), and code that imports
 * that namespace whole (classic zod's `import { z } from "zod"`, as @hono/zod-openapi did)
 * keeps them all: they were 258 KiB of a 714 KiB bundle. Only English, zod's default, is
 * ever used here, so the locales barrel is replaced by one that exports `en` alone. (Set a
 * locale with `z.config(z.locales.xx())`? Then drop this plugin.)
 */
const englishOnlyZodLocales = {
  name: "english-only-zod-locales",
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer)
        ? { path: resolve(dirname(args.importer), args.path), namespace: "zod-locales" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(resolve(dirname(args.path), "en.js"))};`,
      resolveDir: dirname(args.path),
      loader: "js",
    }));
  },
};

export async function buildEdgeBundle(outfile = resolve(here, "../dist/edge/worker.js")) {
  const result = await build({
    entryPoints: [resolve(here, "../src/edge.ts")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    minify: true,
    conditions: ["@replykit/source", "workerd", "worker", "browser", "import", "default"],
    mainFields: ["module", "main"],
    logLevel: "silent",
    metafile: true,
    plugins: [englishOnlyZodLocales],
  });
  const code = result.outputFiles[0].contents;
  const nodeImports = Object.values(result.metafile.outputs)
    .flatMap((output) => output.imports)
    .filter((entry) => entry.external);
  if (nodeImports.length > 0) {
    throw new Error(
      `the edge bundle imports modules it cannot bundle: ${nodeImports.map((entry) => entry.path).join(", ")}`,
    );
  }
  await mkdir(dirname(outfile), { recursive: true });
  await writeFile(outfile, code);
  return {
    outfile,
    minifiedBytes: code.byteLength,
    gzippedBytes: gzipSync(code).byteLength,
    /** esbuild's metafile: which input put how many bytes in the bundle (bench/bundle.mjs). */
    metafile: result.metafile,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { outfile, minifiedBytes, gzippedBytes } = await buildEdgeBundle(process.argv[2]);
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  console.log(
    `${outfile}: ${kib(minifiedBytes)} minified, ${kib(gzippedBytes)} minified + gzipped ` +
      `(budget ${kib(EDGE_BUNDLE_BUDGET)}: ${gzippedBytes <= EDGE_BUNDLE_BUDGET ? "within" : "OVER"})`,
  );
}
