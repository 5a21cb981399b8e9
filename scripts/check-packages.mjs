// `pnpm check:packages`: packs every publishable package as it would be published and checks
// each tarball with publint (package.json fields, exports, files; suggestions count as
// problems) and @arethetypeswrong/cli (types resolve for every entry; profile esm-only, since
// the packages are ES modules only and have no `require` entry); and that each has its README
// and LICENSE and no build output left from a source file that no longer exists. Fails on
// any problem. Run after `pnpm build`.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { checkPackage, createPackageFromTarballData } from "@arethetypeswrong/core";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { packAll, root } from "./pack.mjs";

const run = promisify(execFile);

/** Files under dist/ that tsc wrote from a source file since deleted or moved. */
function staleOutputs({ dir, files }) {
  return files.filter((file) => {
    const match = /^dist\/(.+?)(\.d\.ts|\.js)(\.map)?$/.exec(file);
    return match !== null && !existsSync(join(dir, "src", `${match[1]}.ts`));
  });
}

/** Resolution modes the esm-only profile leaves out: packages without a `require` entry. */
const ESM_ONLY_IGNORED = new Set(["node10", "node16-cjs"]);

/**
 * attw's checks through its library, in this one process (the CLI loads a TypeScript
 * compiler per package: ~5 s each where this takes ~0.5 s); on a problem the CLI is run on
 * that tarball for its full report.
 */
async function arethetypeswrong(pkg) {
  const analysis = await checkPackage(createPackageFromTarballData(await readFile(pkg.tarball)));
  if (!analysis.types) return ["attw: the package has no types"];
  const problems = analysis.problems.filter(
    (problem) => !("resolutionKind" in problem) || !ESM_ONLY_IGNORED.has(problem.resolutionKind),
  );
  if (problems.length === 0) return [];
  const report = await run(
    join(root, "node_modules/.bin/attw"),
    [pkg.tarball, "--profile", "esm-only", "--format", "ascii", "--no-color", "--no-emoji"],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  ).then(
    () => "",
    (error) => error.stdout || error.message,
  );
  return [
    `attw (profile esm-only): ${problems.map((problem) => problem.kind).join(", ")}\n${report}`,
  ];
}

async function lint(pkg) {
  const problems = [];
  const stale = staleOutputs(pkg);
  if (stale.length > 0) {
    problems.push(
      `build output of sources that no longer exist, which would be published: ${stale.join(", ")} (rm -rf packages/*/dist && pnpm build)`,
    );
  }
  for (const required of ["README.md", "LICENSE"]) {
    if (!pkg.files.includes(required)) problems.push(`${required} is not in the package`);
  }
  const tarball = await readFile(pkg.tarball);
  const { messages, pkg: manifest } = await publint({
    pack: {
      tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.length),
    },
    level: "suggestion",
    strict: true,
  });
  for (const message of messages) {
    problems.push(`publint ${message.type}: ${formatMessage(message, manifest, { color: false })}`);
  }
  problems.push(...(await arethetypeswrong(pkg)));
  return problems;
}

const started = performance.now();
const destination = await mkdtemp(join(tmpdir(), "replykit-check-packages-"));
let failed = false;
try {
  const packed = await packAll(destination);
  console.log(
    `packed ${packed.length} packages in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const results = await Promise.all(
    packed.map(async (pkg) => ({ pkg, problems: await lint(pkg) })),
  );
  for (const { pkg, problems } of results) {
    if (problems.length === 0) {
      console.log(`ok   ${pkg.name} (${pkg.files.length} files)`);
    } else {
      failed = true;
      console.log(`FAIL ${pkg.name}`);
      for (const problem of problems) console.log(`     ${problem.replaceAll("\n", "\n     ")}`);
    }
  }
} finally {
  await rm(destination, { recursive: true, force: true });
}
console.log(`check:packages: ${((performance.now() - started) / 1000).toFixed(1)} s`);
if (failed) process.exitCode = 1;
