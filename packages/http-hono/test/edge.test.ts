import { createHmac } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProviderSimulator } from "@replykit/provider-simulator";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain ESM build script, without type declarations
import { buildEdgeBundle } from "../scripts/build-edge.mjs";
import {
  DEMO_AGENT_ID,
  DEMO_API_KEY,
  DEMO_CONNECTIONS,
  DEMO_CONVERSATIONS,
  DEMO_WEBHOOK_SECRETS,
  demoConfig,
} from "../src/demo/demo-config.js";

interface BundleInfo {
  readonly outfile: string;
  readonly minifiedBytes: number;
  readonly gzippedBytes: number;
}

let folder: string;
let bundle: BundleInfo;
let simulators: Awaited<ReturnType<typeof startProviderSimulator>>;
let worker: Miniflare;
const failing: Miniflare[] = [];

/** A Worker running the bundle with these bindings, and what it writes to stdout and stderr. */
async function startWorker(bindings: Record<string, string>) {
  let output = "";
  const instance = new Miniflare({
    modules: true,
    script: await readFile(bundle.outfile, "utf8"),
    compatibilityDate: "2025-07-01",
    bindings,
    handleRuntimeStdio(stdout, stderr) {
      stdout.on("data", (chunk) => {
        output += String(chunk);
      });
      stderr.on("data", (chunk) => {
        output += String(chunk);
      });
    },
  });
  failing.push(instance);
  await instance.ready;
  return { instance, output: () => output };
}

const SEND = "http://replykit.test/messages/interactive/send-buttons";
const sendRequest = (requestId?: string) => ({
  method: "POST",
  headers: {
    authorization: `Bearer ${DEMO_API_KEY}`,
    "content-type": "application/json",
    ...(requestId === undefined ? {} : { "x-request-id": requestId }),
  },
  body: JSON.stringify({
    agentId: DEMO_AGENT_ID,
    conversationId: DEMO_CONVERSATIONS.whatsapp,
    body_text: "x",
    button_1_id: "a",
    button_1_title: "A",
  }),
});

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "replykit-edge-"));
  bundle = (await buildEdgeBundle(join(folder, "worker.js"))) as BundleInfo;
  simulators = await startProviderSimulator();
  const config = await demoConfig(simulators);
  worker = new Miniflare({
    modules: true,
    script: await readFile(bundle.outfile, "utf8"),
    compatibilityDate: "2025-07-01",
    bindings: { REPLYKIT_CONFIG: JSON.stringify(config) },
  });
  await worker.ready;
}, 60_000);

afterAll(async () => {
  await Promise.all(failing.map((instance) => instance.dispose()));
  await worker?.dispose();
  await simulators?.close();
  if (folder) await rm(folder, { recursive: true });
});

describe("the Workers entry under workerd", () => {
  it("bundles without any Node built-in", () => {
    // The build throws when the bundle would need a module it cannot inline (node:*, fs…).
    expect(bundle.minifiedBytes).toBeGreaterThan(0);
    console.info(
      `edge bundle: ${(bundle.minifiedBytes / 1024).toFixed(1)} KiB minified, ${(bundle.gzippedBytes / 1024).toFixed(1)} KiB min+gzip`,
    );
  });

  it.each(Object.entries(DEMO_CONVERSATIONS))(
    "sends buttons through %s from inside workerd",
    async (provider, conversationId) => {
      const response = await worker.dispatchFetch(
        "http://replykit.test/messages/interactive/send-buttons",
        {
          method: "POST",
          headers: { authorization: `Bearer ${DEMO_API_KEY}`, "content-type": "application/json" },
          body: JSON.stringify({
            agentId: DEMO_AGENT_ID,
            conversationId,
            body_text: "Sent from the edge",
            button_1_id: "ok",
            button_1_title: "OK",
          }),
        },
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ provider, status: "sent" });
      const simulator = simulators[provider as keyof typeof DEMO_CONVERSATIONS];
      expect(simulator.received.at(-1)?.rawBody).toContain("Sent from the edge");
    },
  );

  it("answers the contract's errors from inside workerd", async () => {
    const response = await worker.dispatchFetch(
      "http://replykit.test/messages/interactive/send-buttons",
      {
        method: "POST",
        headers: { authorization: "Bearer not-a-key", "content-type": "application/json" },
        body: JSON.stringify({
          agentId: DEMO_AGENT_ID,
          conversationId: DEMO_CONVERSATIONS.whatsapp,
          body_text: "x",
          button_1_id: "a",
          button_1_title: "A",
        }),
      },
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });
});

describe("webhooks under workerd", () => {
  it("verifies Meta's signature with WebCrypto, records the tap, and refuses a tampered body", async () => {
    const sent = await worker.dispatchFetch(SEND, sendRequest());
    const { messageId, providerMessageId } = (await sent.json()) as {
      messageId: string;
      providerMessageId: string;
    };
    const body = JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "waba-1",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: {
                  display_phone_number: "15550000000",
                  phone_number_id: "100000000000001",
                },
                messages: [
                  {
                    from: "5511999990001",
                    id: "wamid.edge-tap-1",
                    timestamp: "1764504000",
                    type: "interactive",
                    context: { from: "15550000000", id: providerMessageId },
                    interactive: { type: "button_reply", button_reply: { id: "a", title: "A" } },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    const signature = `sha256=${createHmac("sha256", DEMO_WEBHOOK_SECRETS.whatsappAppSecret).update(body).digest("hex")}`;
    const url = `http://replykit.test/webhooks/${DEMO_CONNECTIONS.whatsapp}`;
    const post = (text: string) =>
      worker.dispatchFetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signature },
        body: text,
      });
    expect((await post(body.replace('"id":"a"', '"id":"b"'))).status).toBe(401);
    const accepted = await post(body);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ received: 1, duplicates: 0 });
    const message = await worker.dispatchFetch(`http://replykit.test/messages/${messageId}`, {
      headers: { authorization: `Bearer ${DEMO_API_KEY}` },
    });
    expect(await message.json()).toMatchObject({ messageId, replies: [{ buttonId: "a" }] });
  });
});

describe("the Workers entry without a usable configuration", () => {
  const configurationLines = (output: string) =>
    output
      .split("\n")
      .filter((line) => line.includes('"event":"edge.configuration_failed"'))
      .map((line) => JSON.parse(line.slice(line.indexOf("{"))) as Record<string, unknown>);

  async function expectInternalErrors(instance: Miniflare) {
    const ids: string[] = [];
    for (const requestId of ["edge-req-1", undefined, "edge-req-3"]) {
      const response = await instance.dispatchFetch(SEND, sendRequest(requestId));
      expect(response.status).toBe(500);
      const id = response.headers.get("x-request-id");
      expect(id).toBeTruthy();
      if (requestId !== undefined) expect(id).toBe(requestId);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await response.json()).toEqual({
        error: {
          type: "internal_error",
          code: "internal_error",
          message: expect.any(String),
          requestId: id,
        },
      });
      ids.push(id ?? "");
    }
    return ids;
  }

  it("answers the 500 envelope with a request id when REPLYKIT_CONFIG is not bound, logging it once", async () => {
    const { instance, output } = await startWorker({});
    const [firstId] = await expectInternalErrors(instance);
    await expect.poll(() => configurationLines(output()).length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = configurationLines(output());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "error",
      requestId: firstId,
      errorName: "ConfigError",
      errorMessage: expect.stringContaining("REPLYKIT_CONFIG"),
    });
  });

  it.each([
    ["not JSON", '{"sessions":{"jwtSecret":SUPERSECRET_abcdefghijklmnopqrstuvwxyz}}'],
    [
      "not a valid configuration",
      JSON.stringify({
        organizations: [{ id: "acme" }],
        sessions: { jwtSecret: "SUPERSECRET_abcdefghijklmnopqrstuvwxyz" },
        agents: [],
        channelConnections: [
          {
            id: "wa",
            organizationId: "acme",
            provider: "whatsapp",
            phoneNumberId: "1",
            accessToken: "EAAG SUPERSECRET",
          },
        ],
        conversations: [],
      }),
    ],
  ])(
    "answers the 500 envelope when the configuration is %s, logging it once and redacted",
    async (_case, config) => {
      const { instance, output } = await startWorker({ REPLYKIT_CONFIG: config });
      await expectInternalErrors(instance);
      await expect.poll(() => configurationLines(output()).length).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(configurationLines(output())).toHaveLength(1);
      expect(configurationLines(output())[0]).toMatchObject({
        level: "error",
        errorName: "ConfigError",
        errorMessage: expect.stringContaining("configuration"),
      });
      expect(output()).not.toContain("SUPERSECRET");
    },
  );

  it("still explains configuration errors in zod's English messages, the one locale bundled", async () => {
    const { instance, output } = await startWorker({
      REPLYKIT_CONFIG: JSON.stringify({ organizations: [{ id: 42 }] }),
    });
    await expectInternalErrors(instance);
    await expect.poll(() => configurationLines(output()).length).toBe(1);
    expect(configurationLines(output())[0]?.errorMessage).toContain(
      "organizations.0.id: Invalid input: expected string, received number",
    );
  });
});
