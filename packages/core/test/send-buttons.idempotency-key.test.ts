import { describe, expect, it } from "vitest";
import {
  type ButtonMessageInput,
  type IdempotencyStore,
  runSendButtons,
  type SendButtonsCommand,
  type SendButtonsDeps,
} from "../src/index.js";
import {
  FakeChannel,
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  InMemoryIdempotencyStore,
  ManualClock,
  RecordingLogger,
} from "../src/testing/index.js";

// What an idempotency key promises: a repeat of the same request replays its first result, a
// different request under the key is refused, a failure that may have delivered the message
// keeps the key, and any other failure gives it back. Requests without a key are never
// deduplicated against each other.

const TOKEN = "rk_test_acme";

function world() {
  const channel = new FakeChannel({ provider: "whatsapp" });
  const clock = new ManualClock();
  const store = new InMemoryIdempotencyStore({ clock });
  const claims: string[] = [];
  // The store, recording which keys the use case claims.
  const idempotency: IdempotencyStore = {
    claim: (key, fingerprint) => {
      claims.push(key.key);
      return store.claim(key, fingerprint);
    },
    complete: (key, result) => store.complete(key, result),
    release: (key) => store.release(key),
    markOutcomeUnknown: (key) => store.markOutcomeUnknown(key),
  };
  let ids = 0;
  const deps: SendButtonsDeps = {
    authenticator: new InMemoryAuthenticator({
      [TOKEN]: { subject: "key-acme", organizationId: "acme", kind: "api_key" },
    }),
    agents: new InMemoryAgentDirectory([
      { id: "agent-1", organizationId: "acme" },
      { id: "agent-2", organizationId: "acme" },
    ]),
    conversations: new InMemoryConversationDirectory([
      {
        id: "conv-1",
        organizationId: "acme",
        channelConnectionId: "wa",
        recipient: "5511990000001",
      },
      {
        id: "conv-2",
        organizationId: "acme",
        channelConnectionId: "wa",
        recipient: "5511990000002",
      },
    ]),
    channels: new InMemoryChannelDirectory({ wa: channel }),
    clock,
    logger: new RecordingLogger(),
    newId: () => `msg-${++ids}`,
    policy: { initialBackoffMs: 1, maxBackoffMs: 20, attemptTimeoutMs: 200, maxRetries: 2 },
    idempotency,
  };
  return { deps, channel, claims };
}

const message: ButtonMessageInput = {
  header: "Order #42",
  body: "Did it arrive?",
  footer: "Acme",
  buttons: [
    { id: "yes", title: "Yes" },
    { id: "no", title: "No" },
  ],
};

const command = (overrides: Partial<SendButtonsCommand> = {}): SendButtonsCommand => ({
  token: TOKEN,
  agentId: "agent-1",
  conversationId: "conv-1",
  message,
  ...overrides,
});

async function failureOf(deps: SendButtonsDeps, cmd: SendButtonsCommand) {
  const outcome = await runSendButtons(deps, cmd);
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

describe("sendButtons without an idempotency key, a store configured", () => {
  it("sends every request, even identical ones, and replays none", async () => {
    const { deps, channel } = world();
    const first = await runSendButtons(deps, command());
    const second = await runSendButtons(deps, command());
    expect(channel.sends).toHaveLength(2);
    expect(first.ok && second.ok && first.value.messageId !== second.value.messageId).toBe(true);
  });

  it("never claims a key, so a keyless request cannot collide with any keyed one", async () => {
    const { deps, channel, claims } = world();
    await runSendButtons(deps, command());
    await runSendButtons(deps, command({ idempotencyKey: "undefined" }));
    await runSendButtons(deps, command());
    expect(claims).toEqual(["undefined"]);
    expect(channel.sends).toHaveLength(3);
  });
});

describe("sendButtons: a key's first request failed", () => {
  it.each([
    ["retryable, on every attempt", { kind: "unavailable" as const }, 3],
    ["not retryable", { kind: "unavailable" as const, retryable: false }, 1],
    ["delivery known", { kind: "unavailable" as const, deliveryUnknown: false }, 3],
    ["rejected", { kind: "reject" as const }, 1],
  ])("gives the key back after a failure that sent nothing (%s)", async (_, answer, attempts) => {
    const { deps, channel } = world();
    channel.answerNext(...Array.from({ length: attempts }, () => answer));
    const failed = await failureOf(deps, command({ idempotencyKey: "k" }));
    expect(failed).not.toHaveProperty("deliveryUnknown", true);
    expect(channel.sends).toHaveLength(attempts);
    const repeat = await runSendButtons(deps, command({ idempotencyKey: "k" }));
    expect(repeat.ok).toBe(true);
    expect(channel.accepted).toHaveLength(1);
  });

  it("keeps the key after a failure that may have delivered the message", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "unavailable", deliveryUnknown: true });
    expect(await failureOf(deps, command({ idempotencyKey: "k" }))).toMatchObject({
      _tag: "ProviderUnavailable",
      deliveryUnknown: true,
    });
    expect(await failureOf(deps, command({ idempotencyKey: "k" }))).toMatchObject({
      _tag: "IdempotencyConflict",
      reason: "outcome_unknown",
    });
    expect(channel.sends).toHaveLength(1);
  });

  it("counts an adapter that throws something unexpected as possibly delivered, and keeps the key", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "crash" });
    expect(await failureOf(deps, command({ idempotencyKey: "k" }))).toMatchObject({
      _tag: "ProviderUnavailable",
      provider: "whatsapp",
      retryable: false,
      deliveryUnknown: true,
    });
    expect(await failureOf(deps, command({ idempotencyKey: "k" }))).toMatchObject({
      _tag: "IdempotencyConflict",
      reason: "outcome_unknown",
    });
    expect(channel.sends).toHaveLength(1);
  });
});

describe("sendButtons: a key reused for another request", () => {
  const variants: [string, Partial<SendButtonsCommand>][] = [
    ["another header", { message: { ...message, header: "Order #43" } }],
    ["no header", { message: { ...message, header: undefined } }],
    ["another body", { message: { ...message, body: "Did it arrive yet?" } }],
    ["another footer", { message: { ...message, footer: "Acme Inc." } }],
    ["no footer", { message: { ...message, footer: undefined } }],
    [
      "another button title",
      {
        message: {
          ...message,
          buttons: [
            { id: "yes", title: "Yes!" },
            { id: "no", title: "No" },
          ],
        },
      },
    ],
    [
      "another button id",
      {
        message: {
          ...message,
          buttons: [
            { id: "y", title: "Yes" },
            { id: "no", title: "No" },
          ],
        },
      },
    ],
    ["one button fewer", { message: { ...message, buttons: [{ id: "yes", title: "Yes" }] } }],
    [
      "the buttons in another order",
      {
        message: {
          ...message,
          buttons: [
            { id: "no", title: "No" },
            { id: "yes", title: "Yes" },
          ],
        },
      },
    ],
    ["another conversation", { conversationId: "conv-2" }],
    ["another agent", { agentId: "agent-2" }],
  ];

  it.each(variants)("refuses it as a different request when it has %s", async (_, change) => {
    const { deps, channel } = world();
    expect((await runSendButtons(deps, command({ idempotencyKey: "k" }))).ok).toBe(true);
    expect(await failureOf(deps, command({ idempotencyKey: "k", ...change }))).toMatchObject({
      _tag: "IdempotencyConflict",
      reason: "different_request",
    });
    expect(channel.sends).toHaveLength(1);
  });

  it("replays a repeat of the same request under another request id", async () => {
    const { deps, channel } = world();
    const first = await runSendButtons(deps, command({ idempotencyKey: "k", requestId: "r1" }));
    const repeat = await runSendButtons(
      deps,
      command({ idempotencyKey: "k", requestId: "r2", message: { ...message } }),
    );
    expect(repeat).toEqual(first);
    expect(channel.sends).toHaveLength(1);
  });
});

describe("sendButtons' own ids", () => {
  it("makes a distinct UUID message id for each send when no id maker is given", async () => {
    const { deps, channel } = world();
    const { newId: _, ...withoutIds } = deps;
    const first = await runSendButtons(withoutIds, command());
    const second = await runSendButtons(withoutIds, command());
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(first.ok && first.value.messageId).toMatch(uuid);
    expect(second.ok && second.value.messageId).toMatch(uuid);
    expect(first.ok && second.ok && first.value.messageId !== second.value.messageId).toBe(true);
    // A request without its own id gets one too, which the adapter sees.
    expect(channel.sends[0]?.context.requestId).toMatch(uuid);
  });

  it("passes the caller's request id to the adapter when there is one", async () => {
    const { deps, channel } = world();
    await runSendButtons(deps, command({ requestId: "req-from-caller" }));
    expect(channel.sends[0]?.context.requestId).toBe("req-from-caller");
  });
});

describe("sendButtons when the store cannot settle a key", () => {
  const failing = (
    deps: SendButtonsDeps,
    method: "complete" | "markOutcomeUnknown" | "release",
  ) => {
    const store = deps.idempotency as IdempotencyStore;
    return {
      ...deps,
      idempotency: {
        ...store,
        claim: (key, fingerprint) => store.claim(key, fingerprint),
        [method]: () => Promise.reject(new TypeError("connection terminated")),
      } as IdempotencyStore,
    };
  };

  it("answers a message sent as sent when its result cannot be recorded, and logs it", async () => {
    const { deps, channel } = world();
    const outcome = await runSendButtons(
      failing(deps, "complete"),
      command({ idempotencyKey: "k-complete" }),
    );
    expect(outcome).toMatchObject({ ok: true, value: { status: "sent" } });
    expect(channel.sends).toHaveLength(1);
    const logger = deps.logger as RecordingLogger;
    expect(logger.entries).toContainEqual({
      level: "error",
      event: "idempotency.not_settled",
      fields: expect.objectContaining({ settle: "complete", errorName: "TypeError" }),
    });
  });

  it("answers a refusal when its key cannot be given back, and logs it", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "reject", providerCode: 131009 });
    const error = await failureOf(failing(deps, "release"), command({ idempotencyKey: "k-rel" }));
    expect(error).toMatchObject({ _tag: "ProviderRejected" });
    expect((deps.logger as RecordingLogger).entries).toContainEqual(
      expect.objectContaining({
        event: "idempotency.not_settled",
        fields: expect.objectContaining({ settle: "release" }),
      }),
    );
  });

  it("answers the provider's error when the key cannot be marked outcome-unknown", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "unavailable", deliveryUnknown: true, retryable: false });
    const error = await failureOf(
      failing(deps, "markOutcomeUnknown"),
      command({ idempotencyKey: "k-unknown" }),
    );
    expect(error).toMatchObject({ _tag: "ProviderUnavailable" });
    expect((deps.logger as RecordingLogger).entries).toContainEqual(
      expect.objectContaining({
        event: "idempotency.not_settled",
        fields: expect.objectContaining({ settle: "markOutcomeUnknown" }),
      }),
    );
  });
});

describe("sendButtons with a key, when the run fails in a way nothing explains", () => {
  it("gives the key back when it failed before any attempt, so that a repeat sends", async () => {
    const { deps, channel } = world();
    // A caller signal that throws when read: a defect before the first attempt.
    const broken = {
      get aborted(): boolean {
        throw new Error("caller signal broken");
      },
    };
    await expect(
      runSendButtons(deps, command({ idempotencyKey: "k-defect", callerSignal: broken })),
    ).rejects.toThrow("caller signal broken");
    expect(channel.sends).toHaveLength(0);
    const repeat = await runSendButtons(deps, command({ idempotencyKey: "k-defect" }));
    expect(repeat).toMatchObject({ ok: true, value: { status: "sent" } });
    expect(channel.sends).toHaveLength(1);
  });
});
