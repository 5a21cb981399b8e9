import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_AGENT_ID, DEMO_API_KEY, DEMO_CONVERSATIONS } from "../src/demo/demo-config.js";
import { startComposedServer } from "./support.js";

type Server = Awaited<ReturnType<typeof startComposedServer>>;
let server: Server;

beforeAll(async () => {
  server = await startComposedServer((config) => ({
    ...config,
    delivery: { initialBackoffMs: 5, maxBackoffMs: 200, attemptTimeoutMs: 2_000, maxRetries: 2 },
  }));
});
afterAll(() => server.close());
beforeEach(() => server.simulators.reset());

const send = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/messages/interactive/send-buttons`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${DEMO_API_KEY}`,
      "content-type": "application/json",
      ...headers,
    },
    body: JSON.stringify(body),
  });

const request = (conversationId: string, extra: Record<string, unknown> = {}) => ({
  agentId: DEMO_AGENT_ID,
  conversationId,
  header_text: "Order #42",
  body_text: "Did it arrive? 📦",
  footer_text: "Acme",
  button_1_id: "yes",
  button_1_title: "Yes 👍",
  button_2_id: "no",
  button_2_title: "No",
  ...extra,
});

describe("server → adapter → provider simulator", () => {
  it("sends through Meta's Cloud API the exact interactive message", async () => {
    const response = await send(request(DEMO_CONVERSATIONS.whatsapp));
    const result = await response.json();
    expect(response.status).toBe(200);
    const [received] = server.simulators.whatsapp.received;
    expect(result).toMatchObject({
      provider: "whatsapp",
      status: "sent",
      conversationId: DEMO_CONVERSATIONS.whatsapp,
    });
    expect(received?.response).toMatchObject({
      body: { messages: [{ id: result.providerMessageId }] },
    });
    expect(received?.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "5511999990001",
      type: "interactive",
      interactive: {
        type: "button",
        header: { type: "text", text: "Order #42" },
        body: { text: "Did it arrive? 📦" },
        footer: { text: "Acme" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "yes", title: "Yes 👍" } },
            { type: "reply", reply: { id: "no", title: "No" } },
          ],
        },
      },
    });
  });

  it("sends through Z-API's send-button-actions, keeping header and footer", async () => {
    const response = await send(request(DEMO_CONVERSATIONS.zapi));
    expect(response.status).toBe(200);
    const [received] = server.simulators.zapi.received;
    expect(received?.path).toMatch(/\/send-button-actions$/);
    expect(received?.body).toEqual({
      phone: "5511999990002",
      title: "Order #42",
      message: "Did it arrive? 📦",
      footer: "Acme",
      buttonActions: [
        { id: "yes", type: "REPLY", label: "Yes 👍" },
        { id: "no", type: "REPLY", label: "No" },
      ],
    });
    expect((await response.json()).providerMessageId).toBe(
      (received?.response as { body: { messageId: string } } | undefined)?.body.messageId,
    );
  });

  it("sends through ZapperAPI's buttons endpoint", async () => {
    const response = await send(request(DEMO_CONVERSATIONS.zapper));
    expect(response.status).toBe(200);
    const [received] = server.simulators.zapper.received;
    expect(received?.body).toEqual({
      jid: "5511999990003",
      title: "Order #42",
      body: "Did it arrive? 📦",
      footer: "Acme",
      buttons: [
        { type: "reply", displayText: "Yes 👍", id: "yes" },
        { type: "reply", displayText: "No", id: "no" },
      ],
    });
  });

  it("refuses a 4th button with 131009 before any provider is called", async () => {
    const response = await send(
      request(DEMO_CONVERSATIONS.whatsapp, { button_4_id: "x", button_4_title: "X" }),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error).toMatchObject({ providerCode: 131009 });
    expect(server.simulators.whatsapp.received).toHaveLength(0);
  });

  it("answers 500 with the provider's code when the provider refuses", async () => {
    server.simulators.whatsapp.failNext({ errorCode: 131047 });
    const response = await send(request(DEMO_CONVERSATIONS.whatsapp));
    expect(response.status).toBe(500);
    expect((await response.json()).error).toMatchObject({
      provider: "whatsapp",
      providerCode: 131047,
      retryable: false,
    });
    expect(server.simulators.whatsapp.received).toHaveLength(1);
  });

  it("retries a provider's rate limit and then succeeds", async () => {
    server.simulators.zapper.failNext({ status: 429, retryAfterSeconds: 0 });
    const response = await send(request(DEMO_CONVERSATIONS.zapper));
    expect(response.status).toBe(200);
    expect(server.simulators.zapper.received).toHaveLength(2);
  });

  it("does not retry a connection reset after the request was written: it may have been delivered", async () => {
    server.simulators.zapi.failNext({ reset: true });
    const response = await send(request(DEMO_CONVERSATIONS.zapi));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: { code: "provider_unavailable", deliveryUnknown: true },
    });
    expect(server.simulators.zapi.received).toHaveLength(1);
  });

  it("retries a 503 with Retry-After, which says nothing was processed, and then succeeds", async () => {
    server.simulators.zapi.failNext({ status: 503, retryAfterSeconds: 0 });
    const response = await send(request(DEMO_CONVERSATIONS.zapi));
    expect(response.status).toBe(200);
    expect(server.simulators.zapi.received).toHaveLength(2);
  });

  it("sends once for a repeated Idempotency-Key and replays the first answer", async () => {
    const headers = { "idempotency-key": "order-42-confirmation" };
    const first = await send(request(DEMO_CONVERSATIONS.whatsapp), headers);
    const second = await send(request(DEMO_CONVERSATIONS.whatsapp), headers);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(await first.json());
    expect(server.simulators.whatsapp.received).toHaveLength(1);
  });

  it("never writes a token, API key or provider credential to the logs", async () => {
    server.simulators.whatsapp.failNext({ errorCode: 190 });
    await send(request(DEMO_CONVERSATIONS.whatsapp));
    await send(request(DEMO_CONVERSATIONS.zapi));
    await send(request(DEMO_CONVERSATIONS.zapper), { authorization: "Bearer wrong-token" });
    const logs = server.logLines.join("\n");
    expect(server.logLines.length).toBeGreaterThan(3);
    const { whatsapp, zapi, zapper } = server.simulators;
    for (const secret of [
      DEMO_API_KEY,
      "wrong-token",
      whatsapp.credentials.accessToken,
      zapi.credentials.token,
      zapi.credentials.clientToken,
      zapper.credentials.apiKey,
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});
