// `pnpm check:readme`: typechecks every ```ts block of README.md and of each package's
// README.md against the built packages (their dist/*.d.ts, as a user sees them; run after
// `pnpm build`). Each block is its own module. A block that uses names an earlier block
// defined gets them from a hidden prelude, an HTML comment right above it:
//
//   <!-- ts-prelude: import type { SendButtonsDeps } from "@replykit/core";
//   declare const deps: SendButtonsDeps; -->
//
// A block whose fence reads ```ts nocheck is skipped (for fragments that cannot compile).
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { root } from "./pack.mjs";

const run = promisify(execFile);

/** The README files checked: the repository's and each package's. */
export function readmes() {
  const packages = join(root, "packages");
  return [
    join(root, "README.md"),
    ...readdirSync(packages)
      .map((name) => join(packages, name, "README.md"))
      .filter((file) => existsSync(file)),
  ];
}

/**
 * The ```ts blocks of a markdown text, with their prelude and the line the code starts on.
 * @returns {Array<{ line: number, code: string, prelude: string, skip: boolean }>}
 */
export function tsBlocks(markdown) {
  const lines = markdown.split("\n");
  const blocks = [];
  for (let index = 0; index < lines.length; index += 1) {
    const fence = /^(`{3,})(ts|typescript)\b(.*)$/.exec(lines[index]);
    if (!fence) continue;
    const closing = new RegExp(`^${fence[1]}\\s*$`);
    let end = index + 1;
    while (end < lines.length && !closing.test(lines[end])) end += 1;
    if (end === lines.length) throw new Error(`line ${index + 1}: a \`\`\`ts block never closes`);
    let prelude = "";
    let above = index - 1;
    while (above >= 0 && lines[above].trim() === "") above -= 1;
    if (above >= 0 && lines[above].trimEnd().endsWith("-->")) {
      let start = above;
      while (start > 0 && !lines[start].includes("<!--")) start -= 1;
      const comment = /<!--\s*ts-prelude:([\s\S]*?)-->/.exec(
        lines.slice(start, above + 1).join("\n"),
      );
      if (comment) prelude = comment[1].trim();
    }
    blocks.push({
      line: index + 2,
      code: lines.slice(index + 1, end).join("\n"),
      prelude,
      skip: /\bnocheck\b/.test(fence[3]),
    });
    index = end;
  }
  return blocks;
}

/**
 * Where a README's blocks are written: a folder beside the README, so that imports resolve as
 * they would for a reader of that README (a package's README may import the package itself,
 * by its name, and its dependencies). Removed after the run; git-ignored.
 */
const workFolder = (readme) => join(dirname(readme), ".readme-check");

async function main() {
  const started = performance.now();
  const files = readmes();
  /** generated file (relative to the root) → where its code came from */
  const origins = new Map();
  let skipped = 0;
  let output = "";
  try {
    for (const readme of files) {
      const folder = workFolder(readme);
      await rm(folder, { recursive: true, force: true });
      await mkdir(folder, { recursive: true });
      for (const block of tsBlocks(readFileSync(readme, "utf8"))) {
        if (block.skip) {
          skipped += 1;
          continue;
        }
        const file = join(folder, `line${block.line}.ts`);
        // The prelude is the file's first line, so that line N of the file is line
        // N + offset of the README.
        const preludeLine = block.prelude.replaceAll("\n", " ");
        await writeFile(file, `${preludeLine}\n${block.code}\nexport {};\n`);
        origins.set(relative(root, file), {
          readme: relative(root, readme),
          offset: block.line - 2,
        });
      }
    }
    const tsconfig = join(root, ".readme-check/tsconfig.json");
    await writeFile(
      tsconfig,
      JSON.stringify({
        extends: "../tsconfig.base.json",
        compilerOptions: {
          noEmit: true,
          // What a user of the published packages sees: their dist/*.d.ts.
          customConditions: [],
          lib: ["ES2022", "DOM"],
          types: ["node"],
          declaration: false,
          declarationMap: false,
          sourceMap: false,
        },
        files: [...origins.keys()].map((file) => join(root, file)),
      }),
    );
    await run(
      process.execPath,
      [join(root, "node_modules/typescript/bin/tsc"), "-p", tsconfig, "--pretty", "false"],
      { cwd: root, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    output = `${error.stdout ?? ""}${error.stderr ?? ""}` || String(error);
  } finally {
    for (const readme of files) await rm(workFolder(readme), { recursive: true, force: true });
  }
  // Report each error at its README line: "README.md:83:5 - error TS2339: …".
  const report = output.replace(/^([^\s(]+\.ts)\((\d+),(\d+)\)/gm, (whole, file, line, column) => {
    const origin = origins.get(file);
    if (!origin) return whole;
    const readmeLine = Number(line) === 1 ? "prelude" : String(Number(line) + origin.offset);
    return `${origin.readme}:${readmeLine}:${column}`;
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (output) {
    console.log(report.trimEnd());
    console.log(
      `check:readme: failed (${origins.size} blocks checked, ${skipped} skipped; ${seconds} s)`,
    );
    process.exitCode = 1;
  } else {
    console.log(`check:readme: ${origins.size} blocks compile (${skipped} skipped; ${seconds} s)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
