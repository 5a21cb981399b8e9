// Packs every publishable package of the workspace the way `pnpm publish` would (workspace:
// ranges become versions), for the package checks (scripts/check-packages.mjs) and the test
// that installs the tarballs outside the workspace (tests/packed.test.ts). The packages must
// have been built (`pnpm build`): packing does not build.
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The workspace's packages that are published: every package.json without `"private"`. */
export function publishablePackages() {
  const folder = join(root, "packages");
  return readdirSync(folder)
    .map((name) => join(folder, name))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => manifest.private !== true);
}

/**
 * pnpm itself when this runs under it (`pnpm test`, `pnpm check:packages`), so no second
 * copy is fetched; otherwise pnpm 10 through npx, as the README installs it.
 */
function pnpmCommand() {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) return { file: process.execPath, prefix: [execPath] };
  return { file: "npx", prefix: ["-y", "pnpm@10"] };
}

/** Runs pnpm with `args` in `cwd`; resolves with its output, rejects if it fails. */
export function runPnpm(args, cwd) {
  const pnpm = pnpmCommand();
  return run(pnpm.file, [...pnpm.prefix, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
}

/**
 * Packs each publishable package into `destination`.
 * @returns {Promise<Array<{ name: string, dir: string, manifest: Record<string, any>, tarball: string, files: string[] }>>}
 */
export async function packAll(destination) {
  const packages = publishablePackages();
  const filters = packages.flatMap(({ manifest }) => ["--filter", manifest.name]);
  const { stdout } = await runPnpm(
    ["-r", ...filters, "pack", "--pack-destination", destination, "--json"],
    root,
  );
  const packed = JSON.parse(stdout);
  return (Array.isArray(packed) ? packed : [packed]).map((entry) => {
    const { dir, manifest } = packages.find((pkg) => pkg.manifest.name === entry.name);
    return {
      name: entry.name,
      dir,
      manifest,
      tarball: entry.filename,
      files: entry.files.map((file) => file.path),
    };
  });
}
