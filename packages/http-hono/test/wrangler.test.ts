import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// wrangler.jsonc as `wrangler deploy` reads it: validated, built by its build command
// (scripts/build-edge.mjs) and packed for upload, without uploading (--dry-run, offline).
// wrangler 4 needs Node ≥ 22 and CI has Node 20: it runs here on Bun, a devDependency already.

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, "..");
const requireHere = createRequire(import.meta.url);

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "replykit-wrangler-"));
});

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe("wrangler.jsonc", () => {
  it("passes `wrangler deploy --dry-run` without a warning, uploading the tested bundle as it is", async () => {
    const bun = join(dirname(requireHere.resolve("bun/package.json")), "bin/bun.exe");
    const wrangler = join(dirname(requireHere.resolve("wrangler/package.json")), "bin/wrangler.js");
    const outdir = join(folder, "out");
    const { stdout, stderr } = await run(
      bun,
      [wrangler, "deploy", "--dry-run", "--outdir", outdir],
      {
        cwd: packageRoot,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: folder,
          NO_COLOR: "1",
          CI: "true",
          WRANGLER_SEND_METRICS: "false",
          WRANGLER_LOG_PATH: folder,
        },
        timeout: 60_000,
      },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(
        `wrangler deploy --dry-run failed: ${error.message}\n${error.stdout ?? ""}${error.stderr ?? ""}`,
      );
    });
    const output = `${stdout}${stderr}`;
    expect(output).toContain("[custom build] Running: node scripts/build-edge.mjs");
    expect(output).toContain("--dry-run: exiting now.");
    expect(output).not.toMatch(/WARNING|ERROR|✘|▲/);
    // no_bundle: what would be uploaded is the bundle the runtime tests run, byte for byte.
    expect(await readFile(join(outdir, "worker.js"))).toEqual(
      await readFile(join(packageRoot, "dist/edge/worker.js")),
    );
  }, 90_000);
});
