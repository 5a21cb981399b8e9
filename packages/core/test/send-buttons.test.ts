import { Effect } from "effect";
import { describe, expect, it, vi } from "vitest";
import {
  type ButtonMessageInput,
  type ChannelCapabilities,
  type ChannelPort,
  ProviderUnavailable,
  runSendButtons,
  type SendButtonsCommand,
  type SendButtonsDeps,
  sendButtons,
  WHATSAPP_CLOUD_LIMITS,
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

const TOKEN = "rk_test_acme_secret";
const OTHER_TOKEN = "rk_test_globex_secret";

function world(options: { channel?: Partial<ChannelCapabilities>; idempotency?: boolean } = {}) {
  const channel = new FakeChannel({ provider: "whatsapp", capabilities: options.channel ?? {} });
  const logger = new RecordingLogger();
  const clock = new ManualClock();
  let ids = 0;
  const deps: SendButtonsDeps = {
    authenticator: new InMemoryAuthenticator({
      [TOKEN]: { subject: "key-acme", organizationId: "acme", kind: "api_key" },
      [OTHER_TOKEN]: { subject: "key-globex", organizationId: "globex", kind: "api_key" },
    }),
    agents: new InMemoryAgentDirectory([
      { id: "agent-acme", organizationId: "acme" },
      { id: "agent-globex", organizationId: "globex" },
    ]),
    conversations: new InMemoryConversationDirectory([
      {
        id: "conv-acme",
        organizationId: "acme",
        channelConnectionId: "wa-acme",
        recipient: "5511999990000",
      },
      {
        id: "conv-globex",
        organizationId: "globex",
        channelConnectionId: "wa-globex",
        recipient: "5511999990001",
      },
      {
        id: "conv-orphan",
        organizationId: "acme",
        channelConnectionId: "nowhere",
        recipient: "5511999990002",
      },
    ]),
    channels: new InMemoryChannelDirectory({ "wa-acme": channel, "wa-globex": channel }),
    clock,
    logger,
    newId: () => `msg-${++ids}`,
    policy: { initialBackoffMs: 1, maxBackoffMs: 50, attemptTimeoutMs: 200, maxRetries: 2 },
    ...(options.idempotency === false
      ? {}
      : { idempotency: new InMemoryIdempotencyStore({ clock }) }),
  };
  return { deps, channel, logger, clock };
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
  agentId: "agent-acme",
  conversationId: "conv-acme",
  message,
  requestId: "req-1",
  ...overrides,
});

async function failureOf(deps: SendButtonsDeps, cmd: SendButtonsCommand) {
  const outcome = await runSendButtons(deps, cmd);
  if (outcome.ok) throw new Error("expected a failure");
  return outcome.error;
}

describe("sendButtons", () => {
  it("sends through the conversation's channel and returns both ids", async () => {
    const { deps, channel } = world();
    const outcome = await runSendButtons(deps, command());
    expect(outcome).toEqual({
      ok: true,
      value: {
        messageId: "msg-1",
        providerMessageId: "whatsapp-1",
        provider: "whatsapp",
        conversationId: "conv-acme",
        status: "sent",
      },
    });
    expect(channel.sends).toHaveLength(1);
    expect(channel.sends[0]?.recipient).toBe("5511999990000");
    expect(channel.sends[0]?.message.buttons.map((button) => button.id)).toEqual(["yes", "no"]);
    expect(channel.sends[0]?.context.requestId).toBe("req-1");
  });

  it("is usable as an Effect whose error channel lists every failure", async () => {
    const { deps } = world();
    const recovered = await Effect.runPromise(
      sendButtons(deps, command({ agentId: "ghost" })).pipe(
        Effect.map((result) => result.messageId),
        Effect.catchTag("AgentNotFound", (error) => Effect.succeed(`missing ${error.agentId}`)),
        Effect.catchTag("Unauthorized", () => Effect.succeed("unauthorized")),
        Effect.orElseSucceed(() => "other"),
      ),
    );
    expect(recovered).toBe("missing ghost");
  });

  it.each([
    ["missing_token", undefined],
    ["missing_token", "  "],
    ["invalid_token", "rk_test_wrong"],
  ])("refuses a %s as Unauthorized and sends nothing", async (reason, token) => {
    const { deps, channel } = world();
    const error = await failureOf(deps, command({ token }));
    expect(error).toMatchObject({ _tag: "Unauthorized", reason });
    expect(channel.sends).toHaveLength(0);
  });

  it("lists every issue of an invalid message, with 131009 for a 4th button, and sends nothing", async () => {
    const { deps, channel } = world();
    const error = await failureOf(
      deps,
      command({
        message: {
          body: "",
          buttons: [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` })),
        },
      }),
    );
    expect(error._tag).toBe("InvalidMessage");
    if (error._tag !== "InvalidMessage") return;
    expect(error.issues.map((issue) => issue.code).sort()).toEqual(["empty", "too_many_buttons"]);
    expect(error.issues.find((issue) => issue.code === "too_many_buttons")?.providerCode).toBe(
      131009,
    );
    expect(channel.sends).toHaveLength(0);
  });

  it("reports an unknown agent as AgentNotFound", async () => {
    const { deps } = world();
    expect(await failureOf(deps, command({ agentId: "ghost" }))).toMatchObject({
      _tag: "AgentNotFound",
      agentId: "ghost",
    });
  });

  it("forbids sending as an agent of another organization", async () => {
    const { deps, channel } = world();
    expect(await failureOf(deps, command({ agentId: "agent-globex" }))).toMatchObject({
      _tag: "Forbidden",
    });
    expect(channel.sends).toHaveLength(0);
  });

  it("reports another organization's conversation exactly like an unknown one", async () => {
    const { deps, channel } = world();
    const foreign = await failureOf(deps, command({ conversationId: "conv-globex" }));
    const unknown = await failureOf(deps, command({ conversationId: "conv-none" }));
    expect(foreign._tag).toBe("ConversationNotFound");
    expect(unknown._tag).toBe("ConversationNotFound");
    expect(foreign.message.replace("conv-globex", "ID")).toBe(
      unknown.message.replace("conv-none", "ID"),
    );
    expect(channel.sends).toHaveLength(0);
  });

  it("reports a connection without a channel as ChannelNotConfigured", async () => {
    const { deps } = world();
    expect(await failureOf(deps, command({ conversationId: "conv-orphan" }))).toMatchObject({
      _tag: "ChannelNotConfigured",
      channelConnectionId: "nowhere",
    });
  });

  it("refuses what the chosen channel cannot show, before sending", async () => {
    const { deps, channel } = world({
      channel: { footer: false, limits: { ...WHATSAPP_CLOUD_LIMITS, body: 5 } },
    });
    const error = await failureOf(deps, command());
    expect(error._tag).toBe("InvalidMessage");
    if (error._tag !== "InvalidMessage") return;
    expect(error.issues.map((issue) => `${issue.code}@${issue.path.join(".")}`).sort()).toEqual([
      "too_long@body",
      "unsupported_field@footer",
    ]);
    expect(channel.sends).toHaveLength(0);
  });

  it("does not retry a ProviderRejected", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "reject", providerCode: 131047 });
    expect(await failureOf(deps, command())).toMatchObject({
      _tag: "ProviderRejected",
      providerCode: 131047,
    });
    expect(channel.sends).toHaveLength(1);
  });

  it("retries a retryable ProviderUnavailable and succeeds", async () => {
    const { deps, channel, logger } = world();
    channel.answerNext({ kind: "unavailable", providerCode: 130429 }, { kind: "unavailable" });
    const outcome = await runSendButtons(deps, command());
    expect(outcome.ok).toBe(true);
    expect(channel.sends).toHaveLength(3);
    expect(logger.events().filter((event) => event === "send_buttons.attempt_failed")).toHaveLength(
      2,
    );
  });

  it("gives up after maxRetries and returns the last ProviderUnavailable", async () => {
    const { deps, channel } = world();
    channel.answerNext(
      ...Array.from({ length: 5 }, () => ({ kind: "unavailable" as const, providerCode: 4 })),
    );
    expect(await failureOf(deps, command())).toMatchObject({
      _tag: "ProviderUnavailable",
      providerCode: 4,
    });
    expect(channel.sends).toHaveLength(3);
  });

  it("does not retry an unavailability the adapter marks unsafe to retry", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "unavailable", retryable: false, providerCode: 131000 });
    expect(await failureOf(deps, command())).toMatchObject({
      _tag: "ProviderUnavailable",
      retryable: false,
    });
    expect(channel.sends).toHaveLength(1);
  });

  it("stops retrying when the provider asks to wait longer than the policy allows", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "unavailable", retryAfterMs: 60_000 });
    expect(await failureOf(deps, command())).toMatchObject({ retryAfterMs: 60_000 });
    expect(channel.sends).toHaveLength(1);
  });

  it("waits at least the provider's Retry-After before retrying", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "unavailable", retryAfterMs: 40 });
    const started = performance.now();
    expect((await runSendButtons(deps, command())).ok).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    expect(channel.sends).toHaveLength(2);
  });

  it("treats an adapter that throws something else as unavailable, without retrying or quoting it", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "crash", message: "https://api.example/token/SECRET-IN-URL" });
    const error = await failureOf(deps, command());
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: false });
    expect(JSON.stringify(error)).not.toContain("SECRET-IN-URL");
    expect(channel.sends).toHaveLength(1);
  });

  it("abandons an attempt after attemptTimeoutMs, aborts its signal, and retries what was not sent", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "hang", sent: false });
    const outcome = await runSendButtons(
      { ...deps, policy: { ...deps.policy, attemptTimeoutMs: 30 } },
      command(),
    );
    expect(outcome.ok).toBe(true);
    expect(channel.sends).toHaveLength(2);
    expect(channel.sends[0]?.context.signal.aborted).toBe(true);
  });

  it("fails with a retryable ProviderUnavailable when every attempt times out", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "hang", sent: false }, { kind: "hang", sent: false });
    const error = await failureOf(
      { ...deps, policy: { attemptTimeoutMs: 20, maxRetries: 1, initialBackoffMs: 1 } },
      command(),
    );
    expect(error).toMatchObject({ _tag: "ProviderUnavailable", retryable: true });
    expect(error).not.toHaveProperty("deliveryUnknown", true);
    expect(channel.sends).toHaveLength(2);
  });

  describe("idempotency", () => {
    it("returns the first result for a repeated key and sends once", async () => {
      const { deps, channel } = world();
      const first = await runSendButtons(deps, command({ idempotencyKey: "k1" }));
      const second = await runSendButtons(
        deps,
        command({ idempotencyKey: "k1", requestId: "req-2" }),
      );
      expect(second).toEqual(first);
      expect(channel.sends).toHaveLength(1);
    });

    it("refuses a key reused for a different request", async () => {
      const { deps, channel } = world();
      await runSendButtons(deps, command({ idempotencyKey: "k1" }));
      const error = await failureOf(
        deps,
        command({ idempotencyKey: "k1", message: { ...message, body: "Something else" } }),
      );
      expect(error).toMatchObject({ _tag: "IdempotencyConflict", reason: "different_request" });
      expect(channel.sends).toHaveLength(1);
    });

    it("refuses a concurrent request with the same key while the first runs", async () => {
      const { deps, channel } = world();
      channel.answerNext({ kind: "hang" });
      const first = runSendButtons(
        { ...deps, policy: { attemptTimeoutMs: 50, maxRetries: 0 } },
        command({ idempotencyKey: "k1" }),
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await failureOf(deps, command({ idempotencyKey: "k1" }));
      expect(second).toMatchObject({ _tag: "IdempotencyConflict", reason: "in_progress" });
      expect((await first).ok).toBe(false);
    });

    it("forgets a key whose request failed, so the client can try again", async () => {
      const { deps, channel } = world();
      channel.answerNext({ kind: "reject" });
      expect((await runSendButtons(deps, command({ idempotencyKey: "k1" }))).ok).toBe(false);
      expect((await runSendButtons(deps, command({ idempotencyKey: "k1" }))).ok).toBe(true);
      expect(channel.sends).toHaveLength(2);
    });

    it("scopes keys to the caller's organization", async () => {
      const { deps, channel } = world();
      await runSendButtons(deps, command({ idempotencyKey: "shared" }));
      const other = await runSendButtons(
        deps,
        command({
          token: OTHER_TOKEN,
          agentId: "agent-globex",
          conversationId: "conv-globex",
          idempotencyKey: "shared",
        }),
      );
      expect(other.ok).toBe(true);
      expect(channel.sends).toHaveLength(2);
    });

    it("replays for the store's TTL only", async () => {
      const { deps, channel, clock } = world();
      await runSendButtons(deps, command({ idempotencyKey: "k1" }));
      clock.advance(24 * 60 * 60 * 1000 + 1);
      await runSendButtons(deps, command({ idempotencyKey: "k1" }));
      expect(channel.sends).toHaveLength(2);
    });

    it("sends every time when no store is configured", async () => {
      const { deps, channel } = world({ idempotency: false });
      await runSendButtons(deps, command({ idempotencyKey: "k1" }));
      await runSendButtons(deps, command({ idempotencyKey: "k1" }));
      expect(channel.sends).toHaveLength(2);
    });
  });

  it("never logs the bearer token", async () => {
    const { deps, channel, logger } = world();
    channel.answerNext({ kind: "unavailable" }, { kind: "reject" });
    await runSendButtons(deps, command());
    await runSendButtons(deps, command({ agentId: "agent-globex" }));
    await runSendButtons(deps, command({ idempotencyKey: "k" }));
    await runSendButtons(deps, command({ idempotencyKey: "k" }));
    expect(logger.entries.length).toBeGreaterThan(3);
    expect(JSON.stringify(logger.entries)).not.toContain(TOKEN);
  });

  it("logs each sent message with its request id and duration", async () => {
    const { deps, logger } = world();
    await runSendButtons(deps, command());
    expect(logger.entries.find((entry) => entry.event === "send_buttons.sent")).toMatchObject({
      level: "info",
      fields: {
        requestId: "req-1",
        provider: "whatsapp",
        providerMessageId: "whatsapp-1",
        durationMs: 0,
      },
    });
  });
});

describe("sendButtons when the message may have been delivered", () => {
  it("keeps the idempotency key, so a repeat cannot send a duplicate", async () => {
    const { deps, channel } = world();
    const noRetry = { ...deps, policy: { ...deps.policy, maxRetries: 0 } };
    channel.answerNext({ kind: "unavailable", deliveryUnknown: true, providerCode: 131000 });
    expect(await failureOf(noRetry, command({ idempotencyKey: "k1" }))).toMatchObject({
      _tag: "ProviderUnavailable",
      deliveryUnknown: true,
    });
    expect(await failureOf(noRetry, command({ idempotencyKey: "k1" }))).toMatchObject({
      _tag: "IdempotencyConflict",
      reason: "outcome_unknown",
    });
    expect(channel.sends).toHaveLength(1);
  });

  it("does not retry it by default: a send is at most once", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "unavailable", deliveryUnknown: true });
    expect(await failureOf(deps, command())).toMatchObject({ deliveryUnknown: true });
    expect(channel.sends).toHaveLength(1);
  });

  it("retries it when the operator opts in", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "unavailable", deliveryUnknown: true });
    const optedIn = { ...deps, policy: { ...deps.policy, retryWhenDeliveryUnknown: true } };
    expect((await runSendButtons(optedIn, command())).ok).toBe(true);
    expect(channel.sends).toHaveLength(2);
  });

  it("still retries, by default, a failure that proves nothing was sent", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "unavailable", providerCode: 130429 });
    expect((await runSendButtons(deps, command())).ok).toBe(true);
    expect(channel.sends).toHaveLength(2);
  });

  it("counts an attempt that timed out as possibly delivered", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "hang" });
    const error = await failureOf(
      { ...deps, policy: { attemptTimeoutMs: 20, maxRetries: 0 } },
      command({ idempotencyKey: "k1" }),
    );
    expect(error).toMatchObject({ deliveryUnknown: true });
    expect(await failureOf(deps, command({ idempotencyKey: "k1" }))).toMatchObject({
      reason: "outcome_unknown",
    });
  });
});

describe("sendButtons' attempt timeout", () => {
  it("retries an attempt that timed out before it was sent, e.g. while waiting for a connection", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "hang", sent: false });
    const outcome = await runSendButtons(
      { ...deps, policy: { ...deps.policy, attemptTimeoutMs: 20 } },
      command({ idempotencyKey: "k1" }),
    );
    expect(outcome.ok).toBe(true);
    expect(channel.sends).toHaveLength(2);
    expect(channel.sends[0]?.context.signal.reason).toMatchObject({ name: "TimeoutError" });
  });

  it("gives up on an adapter that ignores its aborted signal, as possibly delivered", async () => {
    const { deps } = world();
    const deaf: ChannelPort = {
      provider: "deaf",
      capabilities: new FakeChannel().capabilities,
      send: () => new Promise(() => undefined),
    };
    const started = Date.now();
    const error = await failureOf(
      {
        ...deps,
        channels: new InMemoryChannelDirectory({ "wa-acme": deaf }),
        policy: { ...deps.policy, attemptTimeoutMs: 20, maxRetries: 0 },
      },
      command({ idempotencyKey: "k1" }),
    );
    expect(error).toMatchObject({ _tag: "ProviderUnavailable", deliveryUnknown: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await failureOf(deps, command({ idempotencyKey: "k1" }))).toMatchObject({
      reason: "outcome_unknown",
    });
  });
});

describe("sendButtons cut short by its signal", () => {
  it("keeps the key as outcome unknown when an attempt was under way", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "hang" });
    const shutdown = new AbortController();
    const pending = runSendButtons(
      deps,
      command({ idempotencyKey: "k1", signal: shutdown.signal }),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    shutdown.abort();
    const outcome = await pending;
    expect(outcome).toMatchObject({
      ok: false,
      error: { _tag: "ProviderUnavailable", deliveryUnknown: true },
    });
    expect(channel.sends[0]?.context.signal.aborted).toBe(true);
    expect(await failureOf(deps, command({ idempotencyKey: "k1" }))).toMatchObject({
      reason: "outcome_unknown",
    });
    expect(channel.sends).toHaveLength(1);
  });

  it("sends nothing and gives the key back when the signal aborted before any attempt", async () => {
    const { deps, channel } = world();
    const outcome = await runSendButtons(
      deps,
      command({ idempotencyKey: "k1", signal: AbortSignal.abort() }),
    );
    expect(outcome.ok).toBe(false);
    expect(outcome.ok ? undefined : outcome.error).toMatchObject({ _tag: "ProviderUnavailable" });
    expect(outcome.ok ? undefined : outcome.error).not.toHaveProperty("deliveryUnknown", true);
    expect(channel.sends).toHaveLength(0);
    expect((await runSendButtons(deps, command({ idempotencyKey: "k1" }))).ok).toBe(true);
  });
});

describe("sendButtons with a caller already authenticated", () => {
  it("uses the given principal and never asks the authenticator", async () => {
    const { deps, channel } = world();
    const authenticator = { authenticate: vi.fn(deps.authenticator.authenticate) };
    const outcome = await runSendButtons(
      { ...deps, authenticator },
      command({
        token: undefined,
        principal: { subject: "key-acme", organizationId: "acme", kind: "api_key" },
      }),
    );
    expect(outcome.ok).toBe(true);
    expect(authenticator.authenticate).not.toHaveBeenCalled();
    expect(channel.sends).toHaveLength(1);
  });

  it("scopes the key by the given principal's organization", async () => {
    const { deps } = world();
    const asOrganization = (organizationId: string) =>
      command({
        token: undefined,
        agentId: `agent-${organizationId}`,
        conversationId: `conv-${organizationId}`,
        idempotencyKey: "shared",
        principal: { subject: "s", organizationId, kind: "api_key" },
      });
    expect((await runSendButtons(deps, asOrganization("acme"))).ok).toBe(true);
    expect((await runSendButtons(deps, asOrganization("globex"))).ok).toBe(true);
  });
});

describe("sendButtons for a caller who stopped waiting", () => {
  it("never starts a send once the caller is gone, and gives the key back", async () => {
    const { deps, channel } = world();
    const outcome = await runSendButtons(
      deps,
      command({ idempotencyKey: "k1", callerSignal: AbortSignal.abort() }),
    );
    expect(outcome.ok ? undefined : outcome.error).toMatchObject({
      _tag: "ProviderUnavailable",
      retryable: false,
    });
    expect(outcome.ok ? undefined : outcome.error).not.toHaveProperty("deliveryUnknown", true);
    expect(channel.sends).toHaveLength(0);
    expect((await runSendButtons(deps, command({ idempotencyKey: "k1" }))).ok).toBe(true);
  });

  it("lets an attempt under way finish and records its result under the key", async () => {
    const { deps, channel } = world();
    const caller = new AbortController();
    const slowAccept: ChannelPort = {
      provider: channel.provider,
      capabilities: channel.capabilities,
      send: async (recipient, message, context) => {
        caller.abort();
        await new Promise((resolve) => setTimeout(resolve, 10));
        return channel.send(recipient, message, context);
      },
    };
    const withSlowChannel = {
      ...deps,
      channels: new InMemoryChannelDirectory({ "wa-acme": slowAccept }),
    };
    const first = await runSendButtons(
      withSlowChannel,
      command({ idempotencyKey: "k1", callerSignal: caller.signal }),
    );
    expect(first.ok).toBe(true);
    const repeat = await runSendButtons(withSlowChannel, command({ idempotencyKey: "k1" }));
    expect(repeat).toEqual(first);
    expect(channel.sends).toHaveLength(1);
  });

  it("does not retry once the caller is gone", async () => {
    const { deps, channel } = world();
    const caller = new AbortController();
    channel.answerNext({ kind: "unavailable", providerCode: 130429 });
    const leaving: ChannelPort = {
      provider: channel.provider,
      capabilities: channel.capabilities,
      send: (recipient, message, context) => {
        caller.abort();
        return channel.send(recipient, message, context);
      },
    };
    const outcome = await runSendButtons(
      { ...deps, channels: new InMemoryChannelDirectory({ "wa-acme": leaving }) },
      command({ callerSignal: caller.signal }),
    );
    expect(outcome.ok).toBe(false);
    expect(channel.sends).toHaveLength(1);
  });
});
