import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashApiKey } from "@replykit/http-app";
import { startWhatsAppSimulator } from "@replykit/provider-simulator";
import { describe, expect, it } from "vitest";
import { startStandalone } from "../src/node/standalone.js";

const LATENCY_MS = 150;

describe("the standalone server's provider pool", () => {
  it("takes its size from providerTransport, and a send waiting for a socket keeps its provider timeout", async () => {
    const simulator = await startWhatsAppSimulator({ latencyMs: LATENCY_MS });
    const folder = await mkdtemp(join(tmpdir(), "replykit-pool-"));
    const path = join(folder, "replykit.json");
    const apiKey = "rk_live_pool_test_key";
    await writeFile(
      path,
      JSON.stringify({
        organizations: [{ id: "acme" }],
        apiKeys: [{ id: "k", organizationId: "acme", sha256: await hashApiKey(apiKey) }],
        agents: [{ id: "ana", organizationId: "acme" }],
        channelConnections: [
          {
            id: "wa",
            organizationId: "acme",
            provider: "whatsapp",
            baseUrl: simulator.baseUrl,
            phoneNumberId: simulator.credentials.phoneNumberId,
            accessToken: simulator.credentials.accessToken,
            // Less than two answers: the third send waits two answers for the one socket.
            timeoutMs: Math.round(LATENCY_MS * 1.8),
          },
        ],
        conversations: [
          {
            id: "c",
            organizationId: "acme",
            channelConnectionId: "wa",
            recipient: "5511999990000",
          },
        ],
        delivery: { maxRetries: 0 },
        providerTransport: { connectionsPerOrigin: 1 },
      }),
    );
    const server = await startStandalone({
      env: { PORT: "0", REPLYKIT_CONFIG: path },
      writeLog: () => {},
    });
    try {
      const send = () =>
        fetch(`${server.url}/messages/interactive/send-buttons`, {
          method: "POST",
          headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({
            agentId: "ana",
            conversationId: "c",
            body_text: "Pick one",
            button_1_id: "a",
            button_1_title: "A",
          }),
        });
      const started = performance.now();
      const statuses = (await Promise.all([send(), send(), send()])).map((r) => r.status);
      expect(statuses).toEqual([200, 200, 200]);
      // One socket: the three answers came one after the other.
      expect(performance.now() - started).toBeGreaterThanOrEqual(LATENCY_MS * 3 - 20);
      expect(simulator.received).toHaveLength(3);
    } finally {
      await server.close();
      await simulator.close();
      await rm(folder, { recursive: true });
    }
  });
});
