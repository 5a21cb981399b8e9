// Writes src/generated/openapi-document.ts, the OpenAPI document the app serves, from
// scripts/openapi-document.ts (the schemas and their words). Run it after changing either:
//   pnpm -C packages/http-app generate:openapi
// The generator is TypeScript that imports the package's sources; esbuild bundles it for
// Node first (as scripts/build-edge.mjs of http-hono does for the Workers entry).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const target = resolve(here, "../src/generated/openapi-document.ts");

const directory = await mkdtemp(join(tmpdir(), "replykit-openapi-"));
try {
  const bundled = join(directory, "openapi-document.mjs");
  await build({
    entryPoints: [resolve(here, "openapi-document.ts")],
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // The workspace's packages from their sources, as the tests see them.
    conditions: ["@replykit/source"],
    outfile: bundled,
    logLevel: "silent",
  });
  const { openApiDocumentModule } = await import(pathToFileURL(bundled).href);
  await writeFile(target, openApiDocumentModule());
  console.log(`wrote ${target}`);
} finally {
  await rm(directory, { recursive: true, force: true });
}
