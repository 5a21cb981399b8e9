import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ChannelCapabilities,
  ChannelDriverToken,
  defineChannelDriver,
  ProviderRejected,
  WHATSAPP_CLOUD_LIMITS,
} from "@replykit/core";
import { hashApiKey } from "@replykit/http-app";
import { createHttpChannel, type HttpDriverEnv } from "@replykit/http-transport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createDriverContainer } from "../src/composition/drivers.js";
import { ConfigError } from "../src/config/load-config.js";
import { startStandalone } from "../src/node/standalone.js";

/**
 * A provider replykit does not ship, written as an embedder would: one driver value, made
 * with the core's helper and http-transport's skeleton, outside the packages.
 */
const ACME_SMS_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 2,
  limits: WHATSAPP_CLOUD_LIMITS,
  header: false,
  footer: false,
  buttonRendering: "best-effort",
};

const acmeSmsDriver = defineChannelDriver({
  provider: "acme-sms",
  options: z.object({
    endpoint: z.url(),
    apiToken: z.string().min(8, "apiToken must be at least 8 characters"),
    sender: z.string().default("replykit"),
  }),
  capabilities: () => ACME_SMS_CAPABILITIES,
  create: (options, env: HttpDriverEnv) =>
    createHttpChannel({
      provider: "acme-sms",
      capabilities: ACME_SMS_CAPABILITIES,
      url: `${options.endpoint}/send`,
      headers: { authorization: `Token ${options.apiToken}` },
      timeoutMs: 5_000,
      transport: env.transport,
      secrets: [options.apiToken],
      toRequestBody: (recipient, message) => ({
        to: recipient,
        from: options.sender,
        text: message.body,
        choices: message.buttons.map((button) => button.id),
      }),
      readAnswer: (answer) =>
        answer.status === 202 && typeof (answer.body as { ref?: unknown })?.ref === "string"
          ? { providerMessageId: (answer.body as { ref: string }).ref }
          : new ProviderRejected({ provider: "acme-sms", message: `HTTP ${answer.status}` }),
    }),
});

const received: { headers: IncomingMessage["headers"]; body: unknown }[] = [];
let provider: Server;
let endpoint: string;

beforeAll(async () => {
  provider = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      received.push({ headers: request.headers, body: JSON.parse(text) });
      response.writeHead(202, { "content-type": "application/json" });
      response.end(JSON.stringify({ ref: `sms-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
});

afterAll(async () => {
  provider.closeAllConnections();
  await new Promise((resolve) => provider.close(resolve));
});

async function configFile(connection: Record<string, unknown>) {
  const folder = await mkdtemp(join(tmpdir(), "replykit-driver-"));
  const path = join(folder, "replykit.json");
  const apiKey = "rk_live_custom_driver_key";
  await writeFile(
    path,
    JSON.stringify({
      organizations: [{ id: "acme" }],
      apiKeys: [{ id: "k", organizationId: "acme", sha256: await hashApiKey(apiKey) }],
      agents: [{ id: "ana", organizationId: "acme" }],
      channelConnections: [{ id: "sms", organizationId: "acme", ...connection }],
      conversations: [
        { id: "c", organizationId: "acme", channelConnectionId: "sms", recipient: "+15550100" },
      ],
    }),
  );
  return { path, apiKey, remove: () => rm(folder, { recursive: true }) };
}

describe("a provider of the embedder's own, registered as a driver", () => {
  it("is configured in the configuration file and sends through the standalone server", async () => {
    const container = createDriverContainer();
    container.register(ChannelDriverToken, { useValue: acmeSmsDriver });
    const file = await configFile({
      provider: "acme-sms",
      endpoint,
      apiToken: "env:ACME_SMS_TOKEN",
    });
    const server = await startStandalone({
      env: { PORT: "0", REPLYKIT_CONFIG: file.path, ACME_SMS_TOKEN: "sms-secret-token" },
      writeLog: () => {},
      container,
    });
    try {
      const send = (body: Record<string, string>) =>
        fetch(`${server.url}/messages/interactive/send-buttons`, {
          method: "POST",
          headers: { authorization: `Bearer ${file.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({ agentId: "ana", conversationId: "c", body_text: "Pick", ...body }),
        });
      const sent = await send({ button_1_id: "a", button_1_title: "A" });
      expect(sent.status).toBe(200);
      expect(await sent.json()).toMatchObject({ provider: "acme-sms", providerMessageId: "sms-1" });
      expect(received.at(-1)).toMatchObject({
        headers: { authorization: "Token sms-secret-token" },
        body: { to: "+15550100", from: "replykit", text: "Pick", choices: ["a"] },
      });

      // Its capabilities are enforced like a built-in driver's: 3 buttons exceed its 2.
      const tooMany = await send({
        button_1_id: "a",
        button_1_title: "A",
        button_2_id: "b",
        button_2_title: "B",
        button_3_id: "c",
        button_3_title: "C",
      });
      expect(tooMany.status).toBe(400);
    } finally {
      await server.close();
      await file.remove();
    }
  });

  it("has its options checked by its own schema when the configuration is read", async () => {
    const container = createDriverContainer();
    container.register(ChannelDriverToken, { useValue: acmeSmsDriver });
    const file = await configFile({ provider: "acme-sms", endpoint: "not a url", apiToken: "x" });
    try {
      const start = startStandalone({
        env: { PORT: "0", REPLYKIT_CONFIG: file.path },
        writeLog: () => {},
        container,
      });
      await expect(start).rejects.toThrow(ConfigError);
      await expect(start).rejects.toThrow(/channelConnections\.0\.endpoint/);
      await expect(start).rejects.toThrow(/apiToken must be at least 8 characters/);
    } finally {
      await file.remove();
    }
  });

  it("is unknown to a server that did not register it", async () => {
    const file = await configFile({ provider: "acme-sms", endpoint, apiToken: "sms-secret" });
    try {
      await expect(
        startStandalone({ env: { PORT: "0", REPLYKIT_CONFIG: file.path }, writeLog: () => {} }),
      ).rejects.toThrow(/provider must be one of "whatsapp", "zapi", "zapper"/);
    } finally {
      await file.remove();
    }
  });

  it("may not take a provider name another driver has", () => {
    const container = createDriverContainer();
    container.register(ChannelDriverToken, {
      useValue: defineChannelDriver({ ...acmeSmsDriver, provider: "zapi" }),
    });
    return expect(
      startStandalone({ env: { PORT: "0" }, writeLog: () => {}, container }),
    ).rejects.toThrow(/two channel drivers are registered for the provider "zapi"/);
  });
});
