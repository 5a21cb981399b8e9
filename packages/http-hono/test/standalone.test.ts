import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashApiKey } from "@replykit/http-app";
import { startWhatsAppSimulator } from "@replykit/provider-simulator";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/load-config.js";
import {
  DEMO_AGENT_ID,
  DEMO_API_KEY,
  DEMO_CONVERSATIONS,
  OTHER_AGENT_ID,
} from "../src/demo/demo-config.js";
import { listen } from "../src/node/server.js";
import { startStandalone } from "../src/node/standalone.js";

const sendButtons = (url: string, token: string, body: Record<string, string>) =>
  fetch(`${url}/messages/interactive/send-buttons`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ body_text: "Pick one", button_1_id: "a", button_1_title: "A", ...body }),
  });

describe("the standalone Node server", () => {
  it("starts on the embedded demo and sends through each provider's simulator", async () => {
    const logs: string[] = [];
    const server = await startStandalone({
      env: { PORT: "0" },
      writeLog: (line) => logs.push(line),
    });
    try {
      expect(server.mode).toBe("demo");
      expect(server.banner).toContain(DEMO_API_KEY);
      expect(server.banner).toContain(`${server.url}/messages/interactive/send-buttons`);
      for (const conversationId of Object.values(DEMO_CONVERSATIONS)) {
        const response = await sendButtons(server.url, DEMO_API_KEY, {
          agentId: DEMO_AGENT_ID,
          conversationId,
        });
        expect(response.status, conversationId).toBe(200);
      }
      const forbidden = await sendButtons(server.url, DEMO_API_KEY, {
        agentId: OTHER_AGENT_ID,
        conversationId: DEMO_CONVERSATIONS.whatsapp,
      });
      expect(forbidden.status).toBe(403);
      expect(logs.join("\n")).not.toContain(DEMO_API_KEY);
    } finally {
      await server.close();
    }
  });

  it("serves a configuration file, reading its secrets from the environment", async () => {
    const simulator = await startWhatsAppSimulator();
    const folder = await mkdtemp(join(tmpdir(), "replykit-config-"));
    const path = join(folder, "replykit.json");
    const apiKey = "rk_live_test_key_0123456789";
    await writeFile(
      path,
      JSON.stringify({
        organizations: [{ id: "acme" }],
        apiKeys: [{ id: "acme-key", organizationId: "acme", sha256: await hashApiKey(apiKey) }],
        agents: [{ id: "ana", organizationId: "acme" }],
        channelConnections: [
          {
            id: "acme-wa",
            organizationId: "acme",
            provider: "whatsapp",
            baseUrl: simulator.baseUrl,
            phoneNumberId: simulator.credentials.phoneNumberId,
            accessToken: "env:ACME_WHATSAPP_TOKEN",
          },
        ],
        conversations: [
          {
            id: "c-1",
            organizationId: "acme",
            channelConnectionId: "acme-wa",
            recipient: "+55 11 99999-0000",
          },
        ],
      }),
    );
    const server = await startStandalone({
      env: {
        PORT: "0",
        REPLYKIT_CONFIG: path,
        ACME_WHATSAPP_TOKEN: simulator.credentials.accessToken,
      },
      writeLog: () => {},
    });
    try {
      expect(server.mode).toBe("config");
      const response = await sendButtons(server.url, apiKey, {
        agentId: "ana",
        conversationId: "c-1",
      });
      expect(response.status).toBe(200);
      expect(simulator.received[0]?.body).toMatchObject({ to: "5511999990000" });
    } finally {
      await server.close();
      await simulator.close();
      await rm(folder, { recursive: true });
    }
  });

  it("refuses to start on an invalid configuration or environment, saying why", async () => {
    const folder = await mkdtemp(join(tmpdir(), "replykit-config-"));
    const path = join(folder, "bad.json");
    await writeFile(path, JSON.stringify({ organizations: [] }));
    try {
      await expect(startStandalone({ env: { PORT: "0", REPLYKIT_CONFIG: path } })).rejects.toThrow(
        ConfigError,
      );
      await expect(
        startStandalone({ env: { PORT: "0", REPLYKIT_CONFIG: join(folder, "missing.json") } }),
      ).rejects.toThrow(/cannot read the configuration file .*ENOENT/);
      await expect(startStandalone({ env: { PORT: "eighty" } })).rejects.toThrow(/PORT/);
      // An empty PORT would otherwise read as 0: a random port nobody knows about.
      await expect(startStandalone({ env: { PORT: "" } })).rejects.toThrow(
        /PORT must be a port number/,
      );
      await expect(startStandalone({ env: { PORT: "70000" } })).rejects.toThrow(/PORT/);
      for (const name of [
        "REPLYKIT_HEADERS_TIMEOUT_MS",
        "REPLYKIT_REQUEST_TIMEOUT_MS",
        "REPLYKIT_KEEP_ALIVE_TIMEOUT_MS",
        "REPLYKIT_MAX_CONNECTIONS",
        "REPLYKIT_SHUTDOWN_GRACE_MS",
      ]) {
        for (const value of ["0", "-5", "1.5", "ten", ""]) {
          await expect(
            startStandalone({ env: { PORT: "0", [name]: value } }),
            `${name}=${JSON.stringify(value)}`,
          ).rejects.toThrow(new RegExp(`${name} must be a positive whole number`));
        }
      }
      await expect(
        startStandalone({
          env: {
            PORT: "0",
            REPLYKIT_HEADERS_TIMEOUT_MS: "20000",
            REPLYKIT_REQUEST_TIMEOUT_MS: "10000",
          },
        }),
      ).rejects.toThrow(/REPLYKIT_HEADERS_TIMEOUT_MS must not exceed REPLYKIT_REQUEST_TIMEOUT_MS/);
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  it("counts failed authentications by the client's socket address: past the limit, 429", async () => {
    const server = await startStandalone({ env: { PORT: "0" }, writeLog: () => {} });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 11; attempt += 1) {
        const response = await sendButtons(server.url, "rk_wrong_key", {
          agentId: DEMO_AGENT_ID,
          conversationId: DEMO_CONVERSATIONS.whatsapp,
        });
        await response.text();
        statuses.push(response.status);
      }
      // DEFAULT_AUTH_FAILURE_LIMIT: 10 failures a minute per client.
      expect(statuses).toEqual([...Array(10).fill(401), 429]);
    } finally {
      await server.close();
    }
  });

  it("takes the Node server's keep-alive timeout and shutdown grace from the environment", async () => {
    const server = await startStandalone({
      env: {
        PORT: "0",
        REPLYKIT_KEEP_ALIVE_TIMEOUT_MS: "7000",
        REPLYKIT_SHUTDOWN_GRACE_MS: "2000",
      },
      writeLog: () => {},
    });
    try {
      expect(server.shutdownDeadlineMs).toBeGreaterThan(2_000);
      expect(server.shutdownDeadlineMs).toBeLessThan(10_000);
      // Node advertises its keep-alive timeout, in whole seconds.
      const keepAlive = await new Promise<string>((resolve, reject) => {
        request(`${server.url}/openapi.json`, (answer) => {
          answer.resume();
          resolve(String(answer.headers["keep-alive"]));
        })
          .on("error", reject)
          .end();
      });
      expect(keepAlive).toBe("timeout=7");
    } finally {
      await server.close();
    }
  });

  it("lets a request in flight finish when it is closed, then stops listening", async () => {
    const slow = {
      fetch: async () => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        return new Response("done");
      },
    };
    const server = await listen(slow, { port: 0, hostname: "127.0.0.1" });
    const inFlight = fetch(`${server.url}/`);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await server.close();
    const response = await inFlight;
    expect(await response.text()).toBe("done");
    await expect(fetch(`${server.url}/`)).rejects.toThrow();
  });
});
