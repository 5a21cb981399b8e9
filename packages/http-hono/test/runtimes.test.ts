import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startProviderSimulator } from "@replykit/provider-simulator";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain ESM build script, without type declarations
import { buildEdgeBundle } from "../scripts/build-edge.mjs";
import { DEMO_WEBHOOK_SECRETS, demoConfig } from "../src/demo/demo-config.js";
import { edgeChecks } from "./runtimes/edge-checks.js";

// The Workers bundle (scripts/build-edge.mjs), unchanged, served by each runtime the README
// names, and the same end-to-end checks against each over HTTP. Bun and Deno are this
// package's devDependencies (their binaries come from the npm registry); a runtime that is
// missing or does not start fails its tests with its name, it is never skipped.

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, "..");
const requireHere = createRequire(import.meta.url);

/** The secrets the configuration names as `env:NAME`: bound beside REPLYKIT_CONFIG. */
const SECRETS = {
  RK_WA_TOKEN: "demo-whatsapp-access-token",
  RK_WA_APP_SECRET: DEMO_WEBHOOK_SECRETS.whatsappAppSecret,
  RK_ZAPI_TOKEN: "demo-zapi-instance-token",
  RK_ZAPI_CLIENT_TOKEN: "demo-zapi-client-token",
  RK_ZAPI_WEBHOOK_SECRET: DEMO_WEBHOOK_SECRETS.zapi,
  RK_ZAPPER_KEY: "demo-zapper-api-key",
  RK_ZAPPER_WEBHOOK_SECRET: DEMO_WEBHOOK_SECRETS.zapper,
} as const;

let folder: string;
let bundlePath: string;
let simulators: Awaited<ReturnType<typeof startProviderSimulator>>;
let bindings: Record<string, string>;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "replykit-runtimes-"));
  bundlePath = ((await buildEdgeBundle(join(folder, "worker.js"))) as { outfile: string }).outfile;
  simulators = await startProviderSimulator({
    whatsapp: { accessToken: SECRETS.RK_WA_TOKEN },
    zapi: { token: SECRETS.RK_ZAPI_TOKEN, clientToken: SECRETS.RK_ZAPI_CLIENT_TOKEN },
    zapper: { apiKey: SECRETS.RK_ZAPPER_KEY },
  });
  // The demo configuration with its secrets as `env:` references, as a deployment keeps them.
  const config = await demoConfig(simulators);
  const secretOf: Record<string, Record<string, string>> = {
    whatsapp: { accessToken: "env:RK_WA_TOKEN", appSecret: "env:RK_WA_APP_SECRET" },
    zapi: {
      instanceToken: "env:RK_ZAPI_TOKEN",
      clientToken: "env:RK_ZAPI_CLIENT_TOKEN",
      webhookSecret: "env:RK_ZAPI_WEBHOOK_SECRET",
    },
    zapper: { apiKey: "env:RK_ZAPPER_KEY", webhookSecret: "env:RK_ZAPPER_WEBHOOK_SECRET" },
  };
  const withReferences = {
    ...config,
    channelConnections: config.channelConnections.map((connection) => ({
      ...connection,
      ...secretOf[connection.provider],
    })),
  };
  bindings = { REPLYKIT_CONFIG: JSON.stringify(withReferences), ...SECRETS };
}, 60_000);

afterAll(async () => {
  await simulators?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** A runtime's binary in its npm package, or an error saying why it is not there. */
function binaryOf(runtime: "bun" | "deno"): string {
  let packageDir: string;
  try {
    packageDir = dirname(requireHere.resolve(`${runtime}/package.json`));
  } catch {
    throw new Error(
      `${runtime}: the npm package "${runtime}" is not installed; run \`npx -y pnpm@10 install\``,
    );
  }
  // Put there by the package's postinstall (allowed in pnpm-workspace.yaml's onlyBuiltDependencies).
  const binary = join(packageDir, runtime === "bun" ? "bin/bun.exe" : "deno");
  if (!existsSync(binary)) {
    throw new Error(
      `${runtime}: no binary at ${binary}: its postinstall did not run (is "${runtime}" in pnpm-workspace.yaml's onlyBuiltDependencies?); run \`npx -y pnpm@10 install\``,
    );
  }
  return binary;
}

interface Started {
  readonly url: string;
  readonly child: ChildProcess;
  readonly output: () => string;
}

/** Starts a server process and waits for its `server.listening` line, or fails naming it. */
function startServer(runtime: string, command: string, args: string[]): Promise<Started> {
  const child = spawn(command, args, {
    cwd: packageRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? tmpdir(),
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      HOST: "127.0.0.1",
      PORT: "0",
      ...bindings,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${runtime} did not start within 20 s; its output:\n${output}`));
    }, 20_000);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${runtime} could not start (${why}); its output:\n${output}`));
    };
    child.on("error", (error) => fail(`${command}: ${error.message}`));
    child.on("exit", (code, signal) => fail(`exited with ${signal ?? code}`));
    child.stderr?.on("data", (chunk) => {
      output += String(chunk);
    });
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
      const line = output
        .split("\n")
        .find((text) => text.includes('"event":"server.listening"') && text.trim().endsWith("}"));
      if (line === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolvePromise({
        url: (JSON.parse(line) as { url: string }).url,
        child,
        output: () => output,
      });
    });
  });
}

async function stop(child: ChildProcess | undefined) {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once("exit", done));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((done) => setTimeout(done, 3_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

const serverRuntimes = {
  node: () => ({
    command: process.execPath,
    args: [join(here, "runtimes/serve-node.mjs"), bundlePath],
  }),
  bun: () => ({ command: binaryOf("bun"), args: ["scripts/serve-bun.mjs", bundlePath] }),
  deno: () => ({
    command: binaryOf("deno"),
    // What the README's command grants, the bundle's folder instead of dist/.
    args: [
      "run",
      "--allow-env",
      "--allow-net",
      `--allow-read=${folder}`,
      "--unstable-no-legacy-abort",
      "scripts/serve-deno.mjs",
      bundlePath,
    ],
  }),
};

/**
 * What every runtime's log shows: JSON lines only, none holding a secret's value — Z-API's
 * webhook secret included, though it came in the path of a request that was logged.
 */
function expectCleanLog(output: string) {
  const lines = output.trim().split("\n");
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
  for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
  expect(output).toContain('"path":"/webhooks/demo-zapi/[REDACTED]"');
}

describe.each(Object.keys(serverRuntimes) as (keyof typeof serverRuntimes)[])(
  "the Workers bundle served by %s",
  (runtime) => {
    let server: Started | undefined;
    // Kept, not thrown here: every test then fails with it, none is reported skipped.
    let failure: unknown = new Error(`${runtime} was not started`);
    beforeAll(async () => {
      try {
        const { command, args } = serverRuntimes[runtime]();
        server = await startServer(runtime, command, args);
      } catch (error) {
        failure = error;
      }
    }, 30_000);
    afterAll(() => stop(server?.child));
    const started = () => {
      if (server === undefined) throw failure;
      return server;
    };

    edgeChecks(runtime, () => ({ url: started().url, simulators }));

    it("logs JSON lines only, none holding a secret", () => {
      expectCleanLog(started().output());
    });
  },
);

describe("the Workers bundle under workerd (miniflare), over HTTP", () => {
  let worker: Miniflare | undefined;
  let url: string | undefined;
  let output = "";
  let failure: unknown = new Error("workerd was not started");
  beforeAll(async () => {
    try {
      url = (await startWorkerd()).href;
    } catch (error) {
      failure = new Error(`workerd could not start: ${String(error)}; its output:\n${output}`);
    }
  }, 60_000);
  afterAll(() => worker?.dispose());
  const started = () => {
    if (url === undefined) throw failure;
    return url;
  };

  async function startWorkerd() {
    worker = new Miniflare({
      modules: true,
      script: await readFile(bundlePath, "utf8"),
      compatibilityDate: "2025-07-01",
      bindings,
      host: "127.0.0.1",
      port: 0,
      handleRuntimeStdio(stdout, stderr) {
        for (const stream of [stdout, stderr]) {
          stream.on("data", (chunk) => {
            output += String(chunk);
          });
        }
      },
    });
    return worker.ready;
  }

  edgeChecks("workerd", () => ({ url: started(), simulators }));

  it("logs JSON lines only, none holding a secret", () => {
    started();
    expectCleanLog(output);
  });
});
