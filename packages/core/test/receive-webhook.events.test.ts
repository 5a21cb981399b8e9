import { describe, expect, it } from "vitest";
import {
  type InboundEvent,
  InMemoryMessageLog,
  InMemoryWebhookDeduplication,
  type ParsedInbound,
  type ReceiveWebhookDeps,
  receiveWebhook,
  type WebhookConnection,
  type WebhookRequest,
} from "../src/index.js";
import { ManualClock, RecordingLogger } from "../src/testing/index.js";

// What receiveWebhook hands over for each kind of event, what it leaves to the message log,
// and what it logs.

const AT = new Date("2026-11-30T12:00:00Z");

/** A connection whose bodies are the parsed events themselves, every request verified. */
const connection = (overrides: Partial<WebhookConnection> = {}): WebhookConnection => ({
  connectionId: "wa",
  provider: "fake",
  organizationId: "acme",
  verify: async () => true,
  parse: (body) =>
    (Array.isArray(body) ? body : []).map((item) => ({ ...item, at: AT }) as ParsedInbound),
  ...overrides,
});

const post = (events: unknown[]): WebhookRequest => ({
  method: "POST",
  header: () => undefined,
  query: new URLSearchParams(),
  rawBody: new TextEncoder().encode(JSON.stringify(events)),
});

function world(options: { connection?: WebhookConnection; handler?: () => Promise<void> } = {}) {
  const handed: InboundEvent[][] = [];
  const messageLog = new InMemoryMessageLog();
  const logger = new RecordingLogger();
  const clock = new ManualClock(AT.getTime());
  const deps: ReceiveWebhookDeps = {
    connections: {
      findWebhookConnection: async (id) =>
        id === "wa" ? (options.connection ?? connection()) : undefined,
    },
    messageLog,
    deduplication: new InMemoryWebhookDeduplication({ clock }),
    handler: {
      handle: async (events) => {
        await options.handler?.();
        handed.push([...events]);
      },
    },
    clock,
    logger,
  };
  return { deps, handed, messageLog, logger };
}

const sent = {
  messageId: "msg-1",
  providerMessageId: "wamid.1",
  provider: "fake",
  organizationId: "acme",
  connectionId: "wa",
  conversationId: "conv-1",
  recipient: "5511999990000",
  buttons: [{ id: "yes", title: "Yes" }],
  sentAt: AT,
} as const;

describe("receiveWebhook: delivery statuses", () => {
  it("hands a status over with the message's own id, and moves the log's status", async () => {
    const { deps, handed, messageLog } = world();
    await messageLog.record(sent);
    await receiveWebhook(
      deps,
      "wa",
      post([
        {
          kind: "delivery_status",
          providerEventId: "s1",
          providerMessageId: "wamid.1",
          status: "delivered",
        },
      ]),
    );
    expect(handed).toEqual([
      [
        {
          kind: "delivery_status",
          connectionId: "wa",
          provider: "fake",
          providerEventId: "s1",
          providerMessageId: "wamid.1",
          messageId: "msg-1",
          status: "delivered",
          at: AT,
        },
      ],
    ]);
    expect(await messageLog.find("msg-1")).toMatchObject({ status: "delivered", statusAt: AT });
  });

  it("hands over a failure's error, and records it in the log", async () => {
    const { deps, handed, messageLog } = world();
    await messageLog.record(sent);
    const error = { code: "131026", message: "Message undeliverable" };
    await receiveWebhook(
      deps,
      "wa",
      post([
        {
          kind: "delivery_status",
          providerEventId: "s1",
          providerMessageId: "wamid.1",
          status: "failed",
          error,
        },
      ]),
    );
    expect(handed[0]?.[0]).toMatchObject({ status: "failed", error });
    expect(await messageLog.find("msg-1")).toMatchObject({ status: "failed", error });
  });

  it("hands over a status of a message the log does not have, without a message id", async () => {
    const { deps, handed } = world();
    await receiveWebhook(
      deps,
      "wa",
      post([
        { kind: "delivery_status", providerEventId: "s1", providerMessageId: "x", status: "read" },
      ]),
    );
    expect(handed[0]?.[0]).toMatchObject({ kind: "delivery_status", providerMessageId: "x" });
    expect(handed[0]?.[0]?.kind === "delivery_status" && handed[0][0].messageId).toBeUndefined();
  });
});

describe("receiveWebhook: taps", () => {
  const tap = (overrides: Record<string, unknown> = {}) => ({
    kind: "button_reply",
    providerEventId: "t1",
    from: "5511999990000",
    buttonId: "yes",
    buttonTitle: "Yes",
    ...overrides,
  });

  it("matches a tap without a message id to the latest message with that button, and records it", async () => {
    const { deps, handed, messageLog } = world();
    await messageLog.record(sent);
    await receiveWebhook(deps, "wa", post([tap()]));
    expect(handed[0]?.[0]).toEqual({
      kind: "button_reply",
      connectionId: "wa",
      provider: "fake",
      providerEventId: "t1",
      from: "5511999990000",
      buttonId: "yes",
      buttonTitle: "Yes",
      replyTo: {
        providerMessageId: "wamid.1",
        messageId: "msg-1",
        conversationId: "conv-1",
        matchedBy: "recent_message_with_button",
      },
      receivedAt: AT,
    });
    expect((await messageLog.find("msg-1"))?.replies).toEqual([
      { providerEventId: "t1", buttonId: "yes", buttonTitle: "Yes", from: "5511999990000", at: AT },
    ]);
  });

  it("names the matched message's provider id, not the unknown one the tap quoted", async () => {
    const { deps, handed, messageLog } = world();
    await messageLog.record(sent);
    await receiveWebhook(deps, "wa", post([tap({ replyToProviderMessageId: "wamid.gone" })]));
    expect(handed[0]?.[0]).toMatchObject({
      replyTo: { providerMessageId: "wamid.1", matchedBy: "recent_message_with_button" },
    });
  });

  it("keeps the provider id the tap quoted when nothing matches", async () => {
    const { deps, handed } = world();
    await receiveWebhook(deps, "wa", post([tap({ replyToProviderMessageId: "wamid.gone" })]));
    expect(handed[0]?.[0]).toMatchObject({
      replyTo: { providerMessageId: "wamid.gone", matchedBy: "unmatched" },
    });
  });
});

describe("receiveWebhook: duplicates and events without an id", () => {
  it("hands an event repeated within one body over once, and counts the repeat", async () => {
    const { deps, handed } = world();
    const ignored = { kind: "ignored", providerEventId: "i1", reason: "echo" };
    const outcome = await receiveWebhook(deps, "wa", post([ignored, ignored]));
    expect(outcome).toMatchObject({ kind: "accepted", duplicates: 1 });
    expect(handed[0]).toHaveLength(1);
  });

  it("hands over every event without an id, each time it comes, never as a duplicate", async () => {
    const { deps, handed } = world();
    const anonymous = [
      { kind: "ignored", reason: "image" },
      { kind: "ignored", reason: "sticker" },
    ];
    expect(await receiveWebhook(deps, "wa", post(anonymous))).toMatchObject({ duplicates: 0 });
    expect(await receiveWebhook(deps, "wa", post(anonymous))).toMatchObject({ duplicates: 0 });
    expect(handed.map((events) => events.length)).toEqual([2, 2]);
    expect(handed[0]?.[0]).toEqual({
      kind: "ignored",
      reason: "image",
      connectionId: "wa",
      provider: "fake",
      at: AT,
    });
  });

  it("calls no handler for a body with nothing new, and still acknowledges it", async () => {
    const { deps, handed } = world();
    expect(await receiveWebhook(deps, "wa", post([]))).toEqual({
      kind: "accepted",
      handedOver: [],
      duplicates: 0,
    });
    expect(handed).toEqual([]);
  });
});

describe("receiveWebhook: handshakes", () => {
  it("refuses a GET for a connection that has no handshake", async () => {
    const { deps } = world();
    expect(await receiveWebhook(deps, "wa", { ...post([]), method: "GET" })).toEqual({
      kind: "refused",
    });
  });
});

describe("receiveWebhook's log", () => {
  it("logs each accepted body with its connection, provider and counts", async () => {
    const { deps, logger } = world();
    const ignored = { kind: "ignored", providerEventId: "i1", reason: "echo" };
    await receiveWebhook(deps, "wa", post([ignored, ignored]));
    expect(logger.entries).toEqual([
      {
        level: "info",
        event: "webhook.accepted",
        fields: { connectionId: "wa", provider: "fake", events: 1, duplicates: 1 },
      },
    ]);
  });

  it("logs a handler failure at error with the error's name, and nothing as accepted", async () => {
    const { deps, logger } = world({
      handler: async () => {
        throw new TypeError("downstream is down");
      },
    });
    expect(await receiveWebhook(deps, "wa", post([{ kind: "ignored", reason: "echo" }]))).toEqual({
      kind: "handler_failed",
    });
    expect(logger.entries).toEqual([
      {
        level: "error",
        event: "webhook.handler_failed",
        fields: { connectionId: "wa", provider: "fake", events: 1, errorName: "TypeError" },
      },
    ]);
  });
});

describe("receiveWebhook: what it asks and hands over for events without optional parts", () => {
  it("hands over a status without an error with no error field at all", async () => {
    const { deps, handed } = world();
    await receiveWebhook(
      deps,
      "wa",
      post([
        { kind: "delivery_status", providerEventId: "s1", providerMessageId: "x", status: "read" },
      ]),
    );
    expect(handed[0]?.[0]).not.toHaveProperty("error");
  });

  it("asks the deduplication store only about the ids the events have", async () => {
    const { deps } = world();
    const asked: (readonly string[])[] = [];
    const seen = deps.deduplication.seen.bind(deps.deduplication);
    Object.assign(deps.deduplication, {
      seen: (connectionId: string, ids: readonly string[]) => {
        asked.push([...ids]);
        return seen(connectionId, ids);
      },
    });
    await receiveWebhook(
      deps,
      "wa",
      post([
        { kind: "ignored", reason: "no id" },
        { kind: "ignored", providerEventId: "e1", reason: "with an id" },
      ]),
    );
    expect(asked).toEqual([["e1"]]);
  });
});
