// The Workers bundle's size and what it is made of: builds it as wrangler would
// (`buildEdgeBundle` of packages/http-hono/scripts/build-edge.mjs, from the sources, into a
// temporary folder), prints its minified and minified + gzipped sizes, and the share of the
// minified bytes per package, from esbuild's metafile (`bytesInOutput` of each input). zod is
// split by its folders (v4/classic, v4/core, v4/mini, …), the workspace's own packages are
// listed as @replykit/*, and http-app's OpenAPI document (generated at build time, served as
// it is) on a line of its own. The shares are of the minified bundle; gzip compresses parts
// unevenly, so they are an estimate of the shares of the gzipped size. The budget is the one
// test/edge-bundle.budget.test.ts of http-hono holds the bundle to.
// Bounded: one build. Run with `pnpm bench` (the whole suite) or `node bench/bundle.mjs`.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildEdgeBundle, EDGE_BUNDLE_BUDGET } from "../packages/http-hono/scripts/build-edge.mjs";
import { fmt, machine, printTable } from "./lib.mjs";

/** The package an input of the metafile belongs to. */
function packageOf(input) {
  const parts = input.split("/");
  const last = parts.lastIndexOf("node_modules");
  if (last >= 0) {
    const scoped = parts[last + 1]?.startsWith("@");
    const name = scoped ? `${parts[last + 1]}/${parts[last + 2]}` : parts[last + 1];
    const rest = parts.slice(last + (scoped ? 3 : 2));
    if (name === "zod" && rest.length > 2 && rest[0] === "v4") return `zod (v4/${rest[1]})`;
    return name;
  }
  const workspace = parts.indexOf("packages");
  if (workspace >= 0 && parts[workspace + 1] === "http-app" && parts.includes("generated")) {
    return "@replykit/http-app (OpenAPI document)";
  }
  if (workspace >= 0) return `@replykit/${parts[workspace + 1]}`;
  return input;
}

const directory = await mkdtemp(join(tmpdir(), "replykit-bench-bundle-"));
let built;
const started = performance.now();
try {
  built = await buildEdgeBundle(join(directory, "worker.js"));
} finally {
  await rm(directory, { recursive: true, force: true });
}
const buildMs = performance.now() - started;

const bytesBy = new Map();
let counted = 0;
for (const output of Object.values(built.metafile.outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const name = packageOf(input);
    bytesBy.set(name, (bytesBy.get(name) ?? 0) + bytesInOutput);
    counted += bytesInOutput;
  }
}
const kib = (bytes) => `${fmt(bytes / 1024, 1)} KiB`;
console.log(
  `bundle: the Workers entry (packages/http-hono/src/edge.ts), esbuild, minified, built in ${fmt(buildMs / 1000, 1)} s`,
);
console.log(`machine: ${machine()}`);
console.log(
  `size: ${kib(built.minifiedBytes)} minified, ${kib(built.gzippedBytes)} (${built.gzippedBytes} bytes) minified + gzipped ` +
    `(budget: ${EDGE_BUNDLE_BUDGET} bytes, now ×${fmt(built.gzippedBytes / EDGE_BUNDLE_BUDGET, 2)} of it)`,
);
const rows = [...bytesBy]
  .sort(([, a], [, b]) => b - a)
  .map(([name, bytes]) => [name, kib(bytes), `${fmt((bytes / counted) * 100, 1)} %`]);
printTable([
  ["package", "minified", "share"],
  ...rows,
  [
    "(esbuild's own glue)",
    kib(built.minifiedBytes - counted),
    `${fmt(((built.minifiedBytes - counted) / built.minifiedBytes) * 100, 1)} % of the file`,
  ],
]);
const groups = [
  ["zod", (name) => name === "zod" || name.startsWith("zod (")],
  ["effect", (name) => name === "effect"],
  [
    "OpenAPI (the generated document; no generator)",
    (name) =>
      name.includes("zod-to-openapi") ||
      name.startsWith("@hono/zod-") ||
      name === "@replykit/http-app (OpenAPI document)",
  ],
  [
    "DI (tsyringe, reflect-metadata, tslib)",
    (name) => ["tsyringe", "reflect-metadata", "tslib"].includes(name),
  ],
  ["hono", (name) => name === "hono"],
  ["replykit's own code", (name) => name.startsWith("@replykit/") && !name.includes("OpenAPI")],
];
console.log(
  `groups: ${groups
    .map(([label, member]) => {
      const bytes = [...bytesBy]
        .filter(([name]) => member(name))
        .reduce((sum, [, b]) => sum + b, 0);
      return `${label} ${fmt((bytes / counted) * 100, 1)} %`;
    })
    .join(", ")}`,
);
