import { describe, expect, it } from "vitest";
import {
  type ChannelPort,
  type Logger,
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

// The use case's log lines are how an operator follows a send: one line per failed attempt,
// one for the outcome (sent or failed, with how long it took), one for a replay. Their
// events, levels and fields are what dashboards and alerts are built on.

const TOKEN = "rk_test_acme";

function world(logger: Logger = new RecordingLogger()) {
  const fake = new FakeChannel({ provider: "whatsapp" });
  const clock = new ManualClock();
  // Each send takes 25 ms of the clock's time.
  const channel: ChannelPort = {
    provider: fake.provider,
    capabilities: fake.capabilities,
    send: (recipient, message, context) => {
      clock.advance(25);
      return fake.send(recipient, message, context);
    },
  };
  let ids = 0;
  const deps: SendButtonsDeps = {
    authenticator: new InMemoryAuthenticator({
      [TOKEN]: { subject: "key-acme", organizationId: "acme", kind: "api_key" },
    }),
    agents: new InMemoryAgentDirectory([{ id: "agent-1", organizationId: "acme" }]),
    conversations: new InMemoryConversationDirectory([
      {
        id: "conv-1",
        organizationId: "acme",
        channelConnectionId: "wa",
        recipient: "5511990000001",
      },
    ]),
    channels: new InMemoryChannelDirectory({ wa: channel }),
    clock,
    logger,
    newId: () => `msg-${++ids}`,
    policy: { initialBackoffMs: 1, maxBackoffMs: 20, attemptTimeoutMs: 200, maxRetries: 2 },
    idempotency: new InMemoryIdempotencyStore({ clock }),
  };
  return { deps, channel: fake };
}

const command = (overrides: Partial<SendButtonsCommand> = {}): SendButtonsCommand => ({
  token: TOKEN,
  agentId: "agent-1",
  conversationId: "conv-1",
  message: { body: "Did it arrive?", buttons: [{ id: "yes", title: "Yes" }] },
  requestId: "req-1",
  ...overrides,
});

const about = {
  requestId: "req-1",
  provider: "whatsapp",
  agentId: "agent-1",
  conversationId: "conv-1",
};

describe("sendButtons' log", () => {
  it("logs a sent message at info, with both ids and how long the send took", async () => {
    const logger = new RecordingLogger();
    const { deps } = world(logger);
    await runSendButtons(deps, command());
    expect(logger.entries).toEqual([
      {
        level: "info",
        event: "send_buttons.sent",
        fields: { ...about, messageId: "msg-1", providerMessageId: "whatsapp-1", durationMs: 25 },
      },
    ]);
  });

  it("logs each failed attempt at warn, numbered, then the failure at error with its duration", async () => {
    const logger = new RecordingLogger();
    const { deps, channel } = world(logger);
    channel.answerNext(
      { kind: "unavailable", providerCode: 130429 },
      { kind: "unavailable", providerCode: 130429 },
      { kind: "unavailable", providerCode: 131000, deliveryUnknown: true },
    );
    await runSendButtons(deps, command());
    expect(logger.entries).toEqual([
      ...[1, 2].map((attempt) => ({
        level: "warn",
        event: "send_buttons.attempt_failed",
        fields: {
          ...about,
          attempt,
          error: "ProviderUnavailable",
          providerCode: 130429,
          retryable: true,
          deliveryUnknown: false,
        },
      })),
      {
        level: "warn",
        event: "send_buttons.attempt_failed",
        fields: {
          ...about,
          attempt: 3,
          error: "ProviderUnavailable",
          providerCode: 131000,
          retryable: true,
          deliveryUnknown: true,
        },
      },
      {
        level: "error",
        event: "send_buttons.failed",
        fields: { ...about, error: "ProviderUnavailable", providerCode: 131000, durationMs: 75 },
      },
    ]);
  });

  it("logs a rejection as neither retryable nor of unknown delivery", async () => {
    const logger = new RecordingLogger();
    const { deps, channel } = world(logger);
    channel.answerNext({ kind: "reject", providerCode: 131009 });
    await runSendButtons(deps, command());
    expect(logger.entries.map((entry) => [entry.level, entry.event, entry.fields])).toEqual([
      [
        "warn",
        "send_buttons.attempt_failed",
        {
          ...about,
          attempt: 1,
          error: "ProviderRejected",
          providerCode: 131009,
          retryable: false,
          deliveryUnknown: false,
        },
      ],
      [
        "error",
        "send_buttons.failed",
        { ...about, error: "ProviderRejected", providerCode: 131009, durationMs: 25 },
      ],
    ]);
  });

  it("logs a replay at info with the repeat's request id and the first message's id", async () => {
    const logger = new RecordingLogger();
    const { deps } = world(logger);
    await runSendButtons(deps, command({ idempotencyKey: "k" }));
    await runSendButtons(deps, command({ idempotencyKey: "k", requestId: "req-2" }));
    expect(logger.entries.at(-1)).toEqual({
      level: "info",
      event: "send_buttons.replayed",
      fields: { requestId: "req-2", messageId: "msg-1" },
    });
  });
});

describe("sendButtons when something fails after the message went out", () => {
  it("keeps the key as outcome unknown, not stuck in progress, when the run dies after sending", async () => {
    const recording = new RecordingLogger();
    // A logger that fails on the success line: the message is sent, yet the run ends in a
    // defect, not with a typed error.
    const failing: Logger = {
      log: (level, event, fields) => {
        if (event === "send_buttons.sent") throw new Error("log sink down");
        recording.log(level, event, fields);
      },
    };
    const { deps, channel } = world(failing);
    await expect(runSendButtons(deps, command({ idempotencyKey: "k" }))).rejects.toThrow();
    expect(channel.accepted).toHaveLength(1);
    const repeat = await runSendButtons(deps, command({ idempotencyKey: "k" }));
    expect(repeat).toMatchObject({
      ok: false,
      error: { _tag: "IdempotencyConflict", reason: "outcome_unknown" },
    });
    expect(channel.sends).toHaveLength(1);
  });
});

describe("sendButtons' error messages", () => {
  it("name the agent, the conversation or the provider they are about", async () => {
    const { deps } = world();
    expect(await runSendButtons(deps, command({ agentId: "agent-x" }))).toMatchObject({
      ok: false,
      error: { _tag: "AgentNotFound", message: expect.stringContaining("agent-x") },
    });
    expect(await runSendButtons(deps, command({ conversationId: "conv-x" }))).toMatchObject({
      ok: false,
      error: { _tag: "ConversationNotFound", message: expect.stringContaining("conv-x") },
    });
    const tooLong = { body: "x".repeat(10), buttons: [{ id: "a", title: "A" }] };
    const narrow = world();
    const small = {
      ...narrow.deps,
      channels: new InMemoryChannelDirectory({
        wa: {
          ...narrow.channel,
          provider: "zapper",
          capabilities: {
            ...narrow.channel.capabilities,
            limits: { ...narrow.channel.capabilities.limits, body: 5 },
          },
          send: narrow.channel.send.bind(narrow.channel),
        },
      }),
    };
    expect(await runSendButtons(small, command({ message: tooLong }))).toMatchObject({
      ok: false,
      error: { _tag: "InvalidMessage", message: expect.stringContaining("zapper") },
    });
  });
});
