// Directories in PostgreSQL: filled with `replykit-admin` (the real command, bundled from its
// sources), then served by a server whose configuration file lists no conversation at all.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { startWhatsAppSimulator, type WhatsAppSimulator } from "@replykit/provider-simulator";
import { createPostgresStore } from "@replykit/store-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/load-config.js";
import { type StandaloneServer, startStandalone } from "../src/node/standalone.js";
import { bundleMain, type MainBundle } from "./main-process.js";

const run = promisify(execFile);
const DATABASE_URL =
  process.env.REPLYKIT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `replykit_directories_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
const APP_SECRET = "directories-app-secret-0123456789";

let admin: MainBundle;
let simulator: WhatsAppSimulator;
let folder: string;

beforeAll(async () => {
  [admin, simulator, folder] = await Promise.all([
    bundleMain("admin"),
    startWhatsAppSimulator(),
    mkdtemp(join(tmpdir(), "replykit-directories-")),
  ]);
}, 60_000);

afterAll(async () => {
  const store = createPostgresStore({ url: DATABASE_URL, schema, sweepIntervalMs: 0 });
  await store.sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await store.close(1);
  await Promise.all([admin?.remove(), simulator?.close(), rm(folder, { recursive: true })]);
});

/** `replykit-admin …` against this file's schema: its exit code and what it printed. */
async function replykitAdmin(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [admin.path, ...args, "--schema", schema],
      { env: { PATH: process.env.PATH ?? "", DATABASE_URL, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const connectionOptions = (tokenVariable: string) =>
  JSON.stringify({
    baseUrl: simulator.baseUrl,
    phoneNumberId: simulator.credentials.phoneNumberId,
    accessToken: `env:${tokenVariable}`,
    appSecret: APP_SECRET,
  });

async function startOnDatabase(env: Record<string, string>): Promise<StandaloneServer> {
  const path = join(folder, `replykit-${crypto.randomUUID()}.json`);
  await writeFile(
    path,
    JSON.stringify({
      store: { kind: "postgres", url: "env:DATABASE_URL", schema, directories: "postgres" },
    }),
  );
  return startStandalone({
    env: { REPLYKIT_CONFIG: path, PORT: "0", DATABASE_URL, LOG_LEVEL: "error", ...env },
    writeLog: () => {},
  });
}

const send = (server: StandaloneServer, key: string) =>
  fetch(`${server.url}/messages/interactive/send-buttons`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({
      agentId: "ana",
      conversationId: "c-1",
      body_text: "Did your order arrive?",
      button_1_id: "yes",
      button_1_title: "Yes",
    }),
  });

describe("replykit-admin and a server on database directories", () => {
  let apiKey: string;

  it("refuses to start on a database whose schema is behind, naming the command to run", async () => {
    await expect(startOnDatabase({})).rejects.toThrow(
      /schema is at version 0.*replykit-admin migrate/,
    );
  });

  it("migrates, then finds nothing more to do", async () => {
    expect(await replykitAdmin(["migrate"])).toMatchObject({ code: 0, stdout: /applied 1/ });
    expect(await replykitAdmin(["migrate"])).toMatchObject({ code: 0, stdout: /up to date/ });
  });

  it("adds an organization, a generated API key shown once, an agent, a connection and a conversation", async () => {
    expect((await replykitAdmin(["add-organization", "acme", "--name", "Acme"])).code).toBe(0);
    const added = await replykitAdmin(["add-api-key", "acme", "acme-key-1"]);
    expect(added.code).toBe(0);
    apiKey = added.stdout.trim().split("\n").at(-1) ?? "";
    expect(apiKey).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    expect((await replykitAdmin(["add-agent", "acme", "ana"])).code).toBe(0);
    const put = await replykitAdmin(
      ["put-connection", "acme", "acme-wa", "whatsapp", "--options", connectionOptions("WA_TOKEN")],
      { WA_TOKEN: simulator.credentials.accessToken },
    );
    expect(put).toMatchObject({ code: 0 });
    expect(
      (await replykitAdmin(["add-conversation", "acme", "c-1", "acme-wa", "5511999990000"])).code,
    ).toBe(0);
    const inspector = createPostgresStore({ url: DATABASE_URL, schema, sweepIntervalMs: 0 });
    const [stored] = await inspector.sql<{ sha256: string; options: { accessToken: string } }[]>`
      SELECT k.sha256, c.options FROM replykit_api_keys k, replykit_channel_connections c`;
    await inspector.close(1);
    // Neither the key nor the provider's token is in the database: a digest and a reference.
    expect(stored?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(apiKey);
    expect(stored?.options.accessToken).toBe("env:WA_TOKEN");
  });

  it("refuses a connection its driver refuses, naming the problem and not the values", async () => {
    const refused = await replykitAdmin([
      "put-connection",
      "acme",
      "acme-bad",
      "whatsapp",
      "--options",
      JSON.stringify({ baseUrl: "not a url", phoneNumberId: "1", accessToken: "SECRET-TOKEN-1" }),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("baseUrl");
    expect(refused.stderr).not.toContain("SECRET-TOKEN-1");
  });

  it("refuses a conversation on another organization's connection", async () => {
    expect((await replykitAdmin(["add-organization", "globex"])).code).toBe(0);
    const refused = await replykitAdmin(["add-conversation", "globex", "c-9", "acme-wa", "55119"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('does not exist in organization "globex"');
  });

  it("serves sends and webhooks from the database, picks up a rotated token, and stops a revoked key", async () => {
    const server = await startOnDatabase({
      WA_TOKEN: simulator.credentials.accessToken,
      WA_TOKEN_NEXT: "rotated-token-0123",
    });
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect({ status: ready.status, body: await ready.json() }).toEqual({
        status: 200,
        body: { status: "ready" },
      });
      const response = await send(server, apiKey);
      expect(response.status).toBe(200);
      const { providerMessageId } = (await response.json()) as { providerMessageId: string };
      const tap = await simulator.webhooks.tap({
        url: `${server.url}/webhooks/acme-wa`,
        appSecret: APP_SECRET,
        messageId: providerMessageId,
        buttonId: "yes",
      });
      expect(tap.status).toBe(200);

      // Another instance (here, the command) changes the connection: the next send uses it.
      expect(
        (
          await replykitAdmin(
            [
              "put-connection",
              "acme",
              "acme-wa",
              "whatsapp",
              "--options",
              connectionOptions("WA_TOKEN_NEXT"),
            ],
            { WA_TOKEN_NEXT: "rotated-token-0123" },
          )
        ).code,
      ).toBe(0);
      const rotated = await send(server, apiKey);
      expect(simulator.received.at(-1)?.headers.authorization).toBe("Bearer rotated-token-0123");
      // The simulator knows only the first token: the provider refuses the rotated one.
      expect(rotated.status).not.toBe(200);

      expect((await replykitAdmin(["revoke-api-key", "acme-key-1"])).code).toBe(0);
      expect((await send(server, apiKey)).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});

describe("the configuration with database directories", () => {
  it("refuses conversations listed in the file as well, since they would be ignored", async () => {
    const path = join(folder, "both.json");
    await writeFile(
      path,
      JSON.stringify({
        store: { kind: "postgres", url: DATABASE_URL, directories: "postgres" },
        agents: [{ id: "ana", organizationId: "acme" }],
      }),
    );
    await expect(startStandalone({ env: { REPLYKIT_CONFIG: path, PORT: "0" } })).rejects.toThrow(
      ConfigError,
    );
  });
});
