import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type InboundEvent,
  InMemoryMessageLog,
  InMemoryWebhookDeduplication,
  type ParsedInbound,
  type ReceiveWebhookDeps,
  receiveWebhook,
  runSendButtons,
  sameRecipient,
  type WebhookConnection,
  type WebhookRequest,
} from "../src/index.js";
import {
  FakeChannel,
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  ManualClock,
  RecordingLogger,
} from "../src/testing/index.js";

const SECRET = "webhook-secret-0123456789";
const AT = new Date("2026-11-30T12:00:00Z");

/** A connection whose webhooks carry their events as a JSON array, with the secret in a header. */
const fakeConnection = (connectionId = "wa"): WebhookConnection => ({
  connectionId,
  provider: "fake",
  organizationId: "acme",
  verify: async (request) => request.header("x-secret") === SECRET,
  handshake: (request) =>
    request.query.get("token") === SECRET
      ? (request.query.get("challenge") ?? undefined)
      : undefined,
  parse: (body) =>
    Array.isArray(body)
      ? body.map((item) => ({ ...item, at: AT }) as ParsedInbound)
      : [{ kind: "ignored", reason: "not an array" }],
});

const request = (body: unknown, secret = SECRET, method = "POST"): WebhookRequest => ({
  method,
  header: (name) => (name.toLowerCase() === "x-secret" ? secret : undefined),
  query: new URLSearchParams(),
  rawBody: new TextEncoder().encode(JSON.stringify(body)),
});

function world(handle: (events: readonly InboundEvent[]) => Promise<void> = async () => {}) {
  const handed: InboundEvent[][] = [];
  const messageLog = new InMemoryMessageLog();
  const clock = new ManualClock(AT.getTime());
  const deps: ReceiveWebhookDeps = {
    connections: {
      findWebhookConnection: async (id) => (id === "wa" ? fakeConnection() : undefined),
    },
    messageLog,
    deduplication: new InMemoryWebhookDeduplication({ clock }),
    handler: {
      handle: async (events) => {
        await handle(events);
        handed.push([...events]);
      },
    },
    clock,
    logger: new RecordingLogger(),
  };
  return { deps, handed, messageLog, clock };
}

const sent = {
  messageId: "msg-1",
  providerMessageId: "wamid.1",
  provider: "fake",
  organizationId: "acme",
  connectionId: "wa",
  conversationId: "conv-1",
  recipient: "+55 11 99999-0000",
  buttons: [
    { id: "yes", title: "Yes" },
    { id: "no", title: "No" },
  ],
  sentAt: AT,
} as const;

const tap = (overrides: Partial<Extract<ParsedInbound, { kind: "button_reply" }>> = {}) => ({
  kind: "button_reply",
  providerEventId: "wamid.tap-1",
  from: "5511999990000",
  buttonId: "yes",
  buttonTitle: "Yes",
  replyToProviderMessageId: "wamid.1",
  ...overrides,
});

describe("receiveWebhook", () => {
  it("hands over a tap matched to the message sent by its provider id, and records the reply", async () => {
    const { deps, handed, messageLog } = world();
    await messageLog.record(sent);
    const outcome = await receiveWebhook(deps, "wa", request([tap()]));
    expect(outcome).toMatchObject({ kind: "accepted", duplicates: 0 });
    expect(handed[0]?.[0]).toMatchObject({
      kind: "button_reply",
      connectionId: "wa",
      buttonId: "yes",
      replyTo: { messageId: "msg-1", conversationId: "conv-1", matchedBy: "provider_message_id" },
    });
    expect((await messageLog.find("msg-1"))?.replies).toHaveLength(1);
  });

  it("falls back to the most recent message to that sender with that button, and says so", async () => {
    const { deps, handed, messageLog } = world();
    await messageLog.record(sent);
    await messageLog.record({
      ...sent,
      messageId: "msg-2",
      providerMessageId: "wamid.2",
      sentAt: new Date(AT.getTime() + 1000),
    });
    await receiveWebhook(deps, "wa", request([tap({ replyToProviderMessageId: "other-id" })]));
    expect(handed[0]?.[0]).toMatchObject({
      replyTo: { messageId: "msg-2", matchedBy: "recent_message_with_button" },
    });
  });

  it("reports a tap nothing in the log fits as unmatched", async () => {
    const { deps, handed } = world();
    await receiveWebhook(deps, "wa", request([tap({ buttonId: "maybe" })]));
    expect(handed[0]?.[0]).toMatchObject({ replyTo: { matchedBy: "unmatched" } });
  });

  it("hands a redelivered body over once", async () => {
    const { deps, handed } = world();
    await receiveWebhook(deps, "wa", request([tap()]));
    const again = await receiveWebhook(deps, "wa", request([tap()]));
    expect(again).toMatchObject({ kind: "accepted", handedOver: [], duplicates: 1 });
    expect(handed).toHaveLength(1);
  });

  it("lets the provider's redelivery try again when the handler fails", async () => {
    let fail = true;
    const { deps, handed } = world(async () => {
      if (fail) throw new Error("downstream is down");
    });
    expect(await receiveWebhook(deps, "wa", request([tap()]))).toEqual({ kind: "handler_failed" });
    fail = false;
    expect(await receiveWebhook(deps, "wa", request([tap()]))).toMatchObject({ duplicates: 0 });
    expect(handed).toHaveLength(1);
  });

  it("refuses a bad secret and an unknown connection with one and the same answer", async () => {
    const { deps, handed } = world();
    expect(await receiveWebhook(deps, "wa", request([tap()], "wrong"))).toEqual({
      kind: "refused",
    });
    expect(await receiveWebhook(deps, "nope", request([tap()]))).toEqual({ kind: "refused" });
    expect(handed).toHaveLength(0);
  });

  it("answers a handshake with its challenge, and refuses a wrong one", async () => {
    const { deps } = world();
    const handshake = (token: string): WebhookRequest => ({
      ...request(undefined, "", "GET"),
      query: new URLSearchParams({ token, challenge: "1158201444" }),
    });
    expect(await receiveWebhook(deps, "wa", handshake(SECRET))).toEqual({
      kind: "handshake",
      challenge: "1158201444",
    });
    expect(await receiveWebhook(deps, "wa", handshake("guess"))).toEqual({ kind: "refused" });
  });

  it("acknowledges a body that is not JSON as ignored, never failing", async () => {
    const { deps, handed } = world();
    const garbage: WebhookRequest = { ...request([]), rawBody: new TextEncoder().encode("{oops") };
    expect(await receiveWebhook(deps, "wa", garbage)).toMatchObject({ kind: "accepted" });
    expect(handed[0]?.[0]).toMatchObject({ kind: "ignored" });
  });

  const states = ["accepted", "sent", "delivered", "read", "failed"] as const;
  test.prop([fc.array(fc.constantFrom(...states), { minLength: 1, maxLength: 8 })])(
    "moves the logged status to the furthest of statuses received in any order",
    async (sequence) => {
      const { deps, messageLog } = world();
      await messageLog.record(sent);
      for (const [index, status] of sequence.entries()) {
        await receiveWebhook(
          deps,
          "wa",
          request([
            {
              kind: "delivery_status",
              providerEventId: `wamid.1:${status}:${index}`,
              providerMessageId: "wamid.1",
              status,
            },
          ]),
        );
      }
      const furthest = [...sequence].sort((a, b) => states.indexOf(b) - states.indexOf(a))[0];
      expect((await messageLog.find("msg-1"))?.status).toBe(furthest);
    },
  );
});

describe("sendButtons and the message log", () => {
  it("records every message sent, with what a tap is later matched by", async () => {
    const messageLog = new InMemoryMessageLog();
    const channel = new FakeChannel({ provider: "whatsapp" });
    const outcome = await runSendButtons(
      {
        authenticator: new InMemoryAuthenticator({
          token: { subject: "k", organizationId: "acme", kind: "api_key" },
        }),
        agents: new InMemoryAgentDirectory([{ id: "ana", organizationId: "acme" }]),
        conversations: new InMemoryConversationDirectory([
          {
            id: "c",
            organizationId: "acme",
            channelConnectionId: "wa",
            recipient: "5511999990000",
          },
        ]),
        channels: new InMemoryChannelDirectory({ wa: channel }),
        clock: new ManualClock(AT.getTime()),
        logger: new RecordingLogger(),
        messageLog,
      },
      {
        token: "token",
        agentId: "ana",
        conversationId: "c",
        message: { body: "Pick", buttons: [{ id: "a", title: "A" }] },
      },
    );
    if (!outcome.ok) throw new Error("expected the send to succeed");
    expect(await messageLog.find(outcome.value.messageId)).toMatchObject({
      providerMessageId: outcome.value.providerMessageId,
      organizationId: "acme",
      connectionId: "wa",
      conversationId: "c",
      recipient: "5511999990000",
      buttons: [{ id: "a", title: "A" }],
      sentAt: AT,
      replies: [],
    });
  });
});

describe("sameRecipient", () => {
  it("treats two writings of one phone number as one recipient, and nothing else", () => {
    expect(sameRecipient("+55 (11) 99999-0000", "5511999990000")).toBe(true);
    expect(sameRecipient("BR.1502576394655843", "1502576394655843")).toBe(false);
    expect(sameRecipient("123", "123")).toBe(true);
  });
});
