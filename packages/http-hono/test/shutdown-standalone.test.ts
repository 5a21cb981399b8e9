import { createJsonLogger } from "@replykit/http-app";
import { undiciTransport } from "@replykit/http-transport/undici";
import { startProviderSimulator } from "@replykit/provider-simulator";
import { describe, expect, it } from "vitest";
import { createConfiguredApp } from "../src/composition/configured-app.js";
import {
  DEMO_AGENT_ID,
  DEMO_API_KEY,
  DEMO_CONVERSATIONS,
  demoConfig,
} from "../src/demo/demo-config.js";
import { listen } from "../src/node/server.js";
import { startStandalone } from "../src/node/standalone.js";
import { type SendFate, sendWithKey, slowProviderSetup } from "./shutdown-fixture.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const events = (lines: readonly string[]) =>
  lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe("shutting the standalone server down", () => {
  it("with a provider slower than the grace period: closes within grace + margin, and every send cut short answers 503 delivery unknown", async () => {
    // 20 s: slower than any grace period, as in the incident where exit took 29 s.
    const setup = await slowProviderSetup({ latencyMs: 20_000 });
    const logs: string[] = [];
    const graceMs = 300;
    const server = await startStandalone({
      env: { PORT: "0", REPLYKIT_SHUTDOWN_GRACE_MS: String(graceMs), ...setup.env },
      writeLog: (line) => logs.push(line),
    });
    try {
      const keys = ["k-1", "k-2", "k-3", "k-4", "k-5"];
      const fates = keys.map((key) => sendWithKey(server.url, key));
      await expect.poll(() => setup.simulator.received.length).toBe(keys.length);

      const startedAt = Date.now();
      const report = await server.close();
      const took = Date.now() - startedAt;
      // Grace, then at most the interrupted requests' second to answer; the margin is slack.
      expect(took).toBeLessThan(graceMs + 1_000 + 1_000);
      expect(report).toMatchObject({ inFlightAtClose: 5, drained: false, interrupted: 5 });

      const settled: SendFate[] = await Promise.all(fates);
      for (const fate of settled) {
        expect(fate).toMatchObject({
          status: 503,
          body: { error: { deliveryUnknown: true } },
        });
      }
      const steps = events(logs).map((line) => line.event);
      expect(steps.filter((event) => event?.toString().startsWith("server."))).toEqual([
        "server.closing",
        "server.grace_expired",
        "server.closed",
        "server.transport_closed",
      ]);
      // What still ran on the transport was failed at once, not waited for.
      expect(events(logs).find((line) => line.event === "server.transport_closed")).toMatchObject({
        level: "info",
        how: "destroy",
      });
      // Nothing was sent after the clients had their answers.
      await sleep(100);
      expect(setup.simulator.received).toHaveLength(keys.length);
    } finally {
      await server.close();
      await setup.cleanUp();
    }
  });

  it("keeps the provider transport open while requests drain, so a retry in the grace period still sends", async () => {
    const setup = await slowProviderSetup();
    // The first attempt is refused after 300 ms with a 429, which proves nothing was sent:
    // the use case retries it, while close() is already waiting for it.
    setup.simulator.failNext({ status: 429, retryAfterSeconds: 0, latencyMs: 300 });
    const server = await startStandalone({
      env: { PORT: "0", REPLYKIT_SHUTDOWN_GRACE_MS: "5000", ...setup.env },
      writeLog: () => {},
    });
    try {
      const fate = sendWithKey(server.url, "retry-1");
      await expect.poll(() => setup.simulator.received.length).toBe(1);
      const report = await server.close();
      expect(await fate).toMatchObject({ status: 200, body: { status: "sent" } });
      expect(setup.simulator.received).toHaveLength(2);
      expect(report).toMatchObject({ inFlightAtClose: 1, drained: true, cut: 0 });
    } finally {
      await server.close();
      await setup.cleanUp();
    }
  });

  it("records each send it cut short as outcome unknown: a repeat with the same key is refused, not sent again", async () => {
    // The standalone's wiring, kept in hand so the app (and its in-memory idempotency
    // store) can still be asked after the server has closed.
    const simulators = await startProviderSimulator({ latencyMs: 20_000 });
    const transport = undiciTransport();
    const shutdown = new AbortController();
    const app = createConfiguredApp(await demoConfig(simulators), {
      transport,
      logger: createJsonLogger({ write: () => {} }),
      shutdownSignal: shutdown.signal,
    });
    const server = await listen(app, {
      port: 0,
      hostname: "127.0.0.1",
      closeGraceMs: 200,
      interrupt: shutdown,
    });
    const sendInit = (key: string): RequestInit => ({
      method: "POST",
      headers: {
        authorization: `Bearer ${DEMO_API_KEY}`,
        "content-type": "application/json",
        "idempotency-key": key,
      },
      body: JSON.stringify({
        agentId: DEMO_AGENT_ID,
        conversationId: DEMO_CONVERSATIONS.whatsapp,
        body_text: "Did your order arrive?",
        button_1_id: "yes",
        button_1_title: "Yes",
      }),
    });
    try {
      const cut = fetch(`${server.url}/messages/interactive/send-buttons`, sendInit("cut-1"));
      await expect.poll(() => simulators.whatsapp.received.length).toBe(1);
      await server.close();
      expect((await cut).status).toBe(503);

      // Asked of the app itself: the server is gone, the store is not.
      const repeat = await app.request("/messages/interactive/send-buttons", sendInit("cut-1"));
      expect(repeat.status).toBe(409);
      expect(await repeat.json()).toMatchObject({
        error: { code: "idempotency_outcome_unknown" },
      });
      expect(simulators.whatsapp.received).toHaveLength(1);
    } finally {
      await server.close();
      await transport.destroy();
      await simulators.close();
    }
  });
});
