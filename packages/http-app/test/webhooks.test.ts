import {
  type InboundEvent,
  InMemoryMessageLog,
  InMemoryWebhookDeduplication,
  type ParsedInbound,
  type WebhookConnection,
} from "@replykit/core";
import {
  FakeChannel,
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  ManualClock,
  RecordingLogger,
} from "@replykit/core/testing";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/index.js";

const SECRET = "path-secret-0123456789";
const TOKEN = "rk_acme";
const OTHER_TOKEN = "rk_globex";

/** A provider whose webhooks carry their events as a JSON array, authenticated by the URL's secret. */
const connection: WebhookConnection = {
  connectionId: "wa",
  provider: "whatsapp",
  organizationId: "acme",
  verify: async (request) => request.pathSecret === SECRET,
  handshake: (request) =>
    request.query.get("hub.verify_token") === SECRET
      ? (request.query.get("hub.challenge") ?? undefined)
      : undefined,
  parse: (body) =>
    Array.isArray(body)
      ? body.map((item) => ({ ...item, at: new Date("2026-11-30T12:00:00Z") }) as ParsedInbound)
      : [],
};

function world(handle: (events: readonly InboundEvent[]) => Promise<void> = async () => {}) {
  const channel = new FakeChannel({ provider: "whatsapp" });
  const messageLog = new InMemoryMessageLog();
  const handed: InboundEvent[] = [];
  const app = createApp({
    authenticator: new InMemoryAuthenticator({
      [TOKEN]: { subject: "k1", organizationId: "acme", kind: "api_key" },
      [OTHER_TOKEN]: { subject: "k2", organizationId: "globex", kind: "api_key" },
    }),
    agents: new InMemoryAgentDirectory([{ id: "ana", organizationId: "acme" }]),
    conversations: new InMemoryConversationDirectory([
      { id: "c1", organizationId: "acme", channelConnectionId: "wa", recipient: "5511999990000" },
    ]),
    channels: new InMemoryChannelDirectory({ wa: channel }),
    clock: new ManualClock(),
    logger: new RecordingLogger(),
    messageLog,
    webhooks: {
      connections: {
        findWebhookConnection: async (id) => (id === "wa" ? connection : undefined),
      },
      messageLog,
      deduplication: new InMemoryWebhookDeduplication(),
      handler: {
        handle: async (events) => {
          await handle(events);
          handed.push(...events);
        },
      },
      maxBodyBytes: 4096,
    },
  });
  const post = (path: string, body: unknown) =>
    app.request(path, { method: "POST", body: JSON.stringify(body) });
  const send = async () => {
    const response = await app.request("/messages/interactive/send-buttons", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        agentId: "ana",
        conversationId: "c1",
        body_text: "Did it arrive?",
        button_1_id: "yes",
        button_1_title: "Yes",
      }),
    });
    return (await response.json()) as { messageId: string; providerMessageId: string };
  };
  const getMessage = (messageId: string, token = TOKEN) =>
    app.request(`/messages/${messageId}`, { headers: { authorization: `Bearer ${token}` } });
  return { app, post, send, getMessage, handed };
}

describe("POST /webhooks/{connectionId}/{secret}", () => {
  it("hands over a tap and a status, and GET /messages/{id} shows them", async () => {
    const { post, send, getMessage, handed } = world();
    const sent = await send();
    const response = await post(`/webhooks/wa/${SECRET}`, [
      {
        kind: "delivery_status",
        providerEventId: "s1",
        providerMessageId: sent.providerMessageId,
        status: "read",
      },
      {
        kind: "button_reply",
        providerEventId: "t1",
        from: "5511999990000",
        buttonId: "yes",
        buttonTitle: "Yes",
        replyToProviderMessageId: sent.providerMessageId,
      },
    ]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 2, duplicates: 0 });
    expect(handed.map((event) => event.kind)).toEqual(["delivery_status", "button_reply"]);

    const message = await getMessage(sent.messageId);
    expect(message.status).toBe(200);
    expect(await message.json()).toMatchObject({
      messageId: sent.messageId,
      status: "read",
      replies: [{ buttonId: "yes", buttonTitle: "Yes", from: "5511999990000" }],
    });
  });

  it("refuses a bad secret and an unknown connection with the same status and body", async () => {
    const { app, handed } = world();
    const bodyOf = async (path: string) => {
      const response = await app.request(path, {
        method: "POST",
        body: "[]",
        headers: { "x-request-id": "same" },
      });
      return { status: response.status, body: await response.text() };
    };
    const badSecret = await bodyOf("/webhooks/wa/wrong-secret");
    const unknown = await bodyOf(`/webhooks/nope/${SECRET}`);
    const noSecret = await bodyOf("/webhooks/wa");
    expect(badSecret.status).toBe(401);
    expect(unknown).toEqual(badSecret);
    expect(noSecret).toEqual(badSecret);
    expect(handed).toHaveLength(0);
  });

  it("answers Meta's handshake with the challenge as text, and refuses a wrong token alike", async () => {
    const { app } = world();
    const ok = await app.request(
      `/webhooks/wa?hub.mode=subscribe&hub.verify_token=${SECRET}&hub.challenge=1158201444`,
    );
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await app.request(
      "/webhooks/wa?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1",
    );
    expect(wrong.status).toBe(401);
  });

  it("refuses a body over the limit before verifying anything", async () => {
    const { post } = world();
    const response = await post(`/webhooks/wa/${SECRET}`, "x".repeat(5000));
    expect(response.status).toBe(400);
    expect(response.headers.get("connection")).toBe("close");
  });

  it("answers 503 when the handler fails, so that the provider delivers again", async () => {
    const { post } = world(async () => {
      throw new Error("down");
    });
    const response = await post(`/webhooks/wa/${SECRET}`, [
      { kind: "ignored", providerEventId: "i1", reason: "test" },
    ]);
    expect(response.status).toBe(503);
  });

  it("needs no bearer token, and a redelivered body is handed over once", async () => {
    const { post, handed } = world();
    const body = [{ kind: "ignored", providerEventId: "i1", reason: "test" }];
    expect((await post(`/webhooks/wa/${SECRET}`, body)).status).toBe(200);
    expect(await (await post(`/webhooks/wa/${SECRET}`, body)).json()).toEqual({
      received: 0,
      duplicates: 1,
    });
    expect(handed).toHaveLength(1);
  });
});

describe("GET /messages/{messageId}", () => {
  it("is a 404 for another organization's message, exactly as for an unknown one", async () => {
    const { send, getMessage } = world();
    const sent = await send();
    const other = await getMessage(sent.messageId, OTHER_TOKEN);
    const unknown = await getMessage("no-such-message", OTHER_TOKEN);
    expect(other.status).toBe(404);
    expect((await other.json()).error.code).toBe("message_not_found");
    expect((await unknown.json()).error.code).toBe("message_not_found");
  });

  it("needs a valid bearer token", async () => {
    const { send, getMessage } = world();
    const sent = await send();
    expect((await getMessage(sent.messageId, "rk_wrong")).status).toBe(401);
  });
});
