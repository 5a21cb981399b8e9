// The packages as a user gets them: packed as `pnpm publish` would pack them, installed from
// the tarballs into a scratch project outside the workspace (its third-party dependencies
// from the pnpm store, or the registry when the store lacks them), then imported by Node as
// ES modules and typechecked by tsc (module nodenext). Needs `pnpm build` first, as the root
// test command does.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packAll, publishablePackages, root, runPnpm } from "../scripts/pack.mjs";

const run = promisify(execFile);

/** Every entry of every publishable package, from their export maps: "@replykit/core/testing"… */
const entries = publishablePackages().flatMap(({ manifest }) =>
  Object.keys(manifest.exports as Record<string, unknown>).map((subpath) =>
    subpath === "." ? manifest.name : `${manifest.name}${subpath.slice(1)}`,
  ),
);

/** Entries that load an optional peer dependency the scratch project leaves out on purpose. */
const needsOptionalPeer: Record<string, string> = { "@replykit/core/conformance": "vitest" };

let scratch: string;
let project: string;

beforeAll(async () => {
  for (const { dir, manifest } of publishablePackages()) {
    if (!existsSync(join(dir, "dist"))) {
      throw new Error(`${manifest.name} is not built: run \`pnpm build\` before this test`);
    }
  }
  scratch = await mkdtemp(join(tmpdir(), "replykit-packed-"));
  const packed = await packAll(join(scratch, "tarballs"));
  const tarballs = Object.fromEntries(packed.map((pkg) => [pkg.name, `file:${pkg.tarball}`]));
  project = join(scratch, "project");
  await mkdir(project);
  await writeFile(
    join(project, "package.json"),
    JSON.stringify({
      name: "replykit-scratch",
      private: true,
      type: "module",
      // undici: the optional peer of @replykit/http-transport/undici, as a Node user adds it.
      // Not vitest: @replykit/core/testing must load without it.
      dependencies: { ...tarballs, undici: "^7.16.0", "@types/node": "^20.19.0" },
      // The tarballs depend on each other by version ("^0.1.0"), which no registry has.
      pnpm: { overrides: tarballs },
    }),
  );
  // No hoisting: a package that imports a dependency it does not declare fails here.
  await runPnpm(
    [
      "install",
      "--no-frozen-lockfile",
      "--prefer-offline",
      "--ignore-scripts",
      "--config.hoist=false",
      "--reporter=silent",
    ],
    project,
  );
}, 240_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the packed packages, installed outside the workspace", () => {
  it("load in Node as ES modules, every entry of every export map", async () => {
    const script = `
const results = {};
for (const entry of ${JSON.stringify(entries)}) {
  try {
    results[entry] = { exports: Object.keys(await import(entry)).sort() };
  } catch (error) {
    results[entry] = { error: String(error.message).split("\\n")[0] };
  }
}
console.log(JSON.stringify(results));
`;
    await writeFile(join(project, "imports.mjs"), script);
    const { stdout } = await run(process.execPath, ["imports.mjs"], { cwd: project });
    const results: Record<string, { exports?: string[]; error?: string }> = JSON.parse(stdout);

    expect(Object.keys(results).sort()).toEqual([...entries].sort());
    for (const entry of entries) {
      const peer = needsOptionalPeer[entry];
      if (peer === undefined) {
        expect(results[entry], entry).toEqual({ exports: expect.any(Array) });
        expect(results[entry]?.exports?.length, `${entry} exports nothing`).toBeGreaterThan(0);
      } else {
        expect(results[entry]?.error, entry).toContain(`Cannot find package '${peer}'`);
      }
    }
    expect(results["@replykit/core"]?.exports).toContain("createButtonMessage");
    expect(results["@replykit/core/testing"]?.exports).toEqual(
      expect.arrayContaining(["FakeChannel", "InMemoryAuthenticator", "InMemoryChannelDirectory"]),
    );
    expect(results["@replykit/http-transport"]?.exports).toContain("fetchTransport");
    expect(results["@replykit/http-transport/undici"]?.exports).toContain("undiciTransport");
  }, 60_000);

  it("typecheck with tsc (module and moduleResolution nodenext, strict), no export typed any", async () => {
    // skipLibCheck, as most projects set it (checking zod's, effect's and hono's declarations
    // too takes ~35 s of CPU), hides a declaration whose import does not resolve: what it
    // declares silently becomes `any`. So every value an entry exports is checked not to be
    // `any`, nor a function taking or returning `any`.
    const lines = entries.map(
      (entry, index) =>
        `import * as entry${index} from "${entry}";\nexport const check${index}: AnyIn<typeof entry${index}> = "none";`,
    );
    await writeFile(
      join(project, "index.ts"),
      `// Not \`0 extends 1 & T\`: a type from an unresolved import is an error type, and a
// conditional type that has it on the right of \`extends\` is itself \`any\`.
type IsAny<T> = boolean extends (T extends never ? true : false) ? true : false;
type AnyInSignature<A extends readonly unknown[], R> = true extends
  | IsAny<R>
  | { [I in keyof A]: IsAny<A[I]> }[number]
  ? true
  : false;
type HasAny<T> =
  IsAny<T> extends true
    ? true
    : T extends (...args: infer A) => infer R
      ? AnyInSignature<A, R>
      : T extends abstract new (...args: infer A) => infer R
        ? AnyInSignature<A, R>
        : false;
/** The names of a module's exports typed \`any\`, or "none". */
type AnyIn<M> = [{ [K in keyof M]: HasAny<M[K]> extends true ? K : never }[keyof M]] extends [never]
  ? "none"
  : { [K in keyof M]: HasAny<M[K]> extends true ? K : never }[keyof M];
${lines.join("\n")}

import { type ButtonMessage, createButtonMessage } from "@replykit/core";
import { FakeChannel } from "@replykit/core/testing";

const built = createButtonMessage({ body: "Did it arrive?", buttons: [{ id: "yes", title: "Yes" }] });
if (!built.ok) throw new Error(JSON.stringify(built.issues));
const message: ButtonMessage = built.value;
const receipt: { providerMessageId: string } = await new FakeChannel().send("5511999999999", message, {
  requestId: "r-1",
  signal: new AbortController().signal,
});
console.log(receipt.providerMessageId);
`,
    );
    await writeFile(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ["node"],
        },
        files: ["index.ts"],
      }),
    );
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    const outcome = await run(process.execPath, [tsc, "-p", "tsconfig.json"], {
      cwd: project,
    }).then(
      () => "",
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    );
    expect(outcome).toBe("");
  }, 120_000);
});
