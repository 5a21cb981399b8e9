import { Effect, Exit, Fiber } from "effect";
import { describe, expect, it, vi } from "vitest";
import {
  type AgentDirectory,
  type ChannelPort,
  InMemoryMessageLog,
  type MessageLog,
  ProviderUnavailable,
  runSendButtons,
  type SendButtonsCommand,
  type SendButtonsDeps,
  type SendContext,
  sendButtons,
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

// Attempts the use case gives up on (an adapter that never answers, a send cut short), what
// the caller is told about them, what an attempt leaves behind once it is over, and the
// message log a sent message is recorded in.

const TOKEN = "rk_test_acme";

/** An adapter that ignores its signal and never settles, as a buggy one would. */
const deaf = (sends: string[]): ChannelPort => ({
  provider: "deaf",
  capabilities: new FakeChannel().capabilities,
  send: (recipient) => {
    sends.push(recipient);
    return new Promise(() => undefined);
  },
});

function world(channel: ChannelPort = new FakeChannel({ provider: "whatsapp" })) {
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const deps: SendButtonsDeps = {
    authenticator: new InMemoryAuthenticator({
      [TOKEN]: { subject: "key-acme", organizationId: "acme", kind: "api_key" },
    }),
    agents: new InMemoryAgentDirectory([{ id: "agent-1", organizationId: "acme" }]),
    conversations: new InMemoryConversationDirectory([
      {
        id: "conv-1",
        organizationId: "acme",
        channelConnectionId: "wa-acme",
        recipient: "5511990000001",
      },
    ]),
    channels: new InMemoryChannelDirectory({ "wa-acme": channel }),
    clock,
    logger,
    newId: () => "msg-1",
    policy: { initialBackoffMs: 1, maxBackoffMs: 20, attemptTimeoutMs: 200, maxRetries: 2 },
    idempotency: new InMemoryIdempotencyStore({ clock }),
  };
  return { deps, logger, clock };
}

const command = (overrides: Partial<SendButtonsCommand> = {}): SendButtonsCommand => ({
  token: TOKEN,
  agentId: "agent-1",
  conversationId: "conv-1",
  message: {
    body: "Did it arrive?",
    buttons: [
      { id: "yes", title: "Yes" },
      { id: "no", title: "No" },
    ],
  },
  requestId: "req-1",
  ...overrides,
});

async function failureOf(deps: SendButtonsDeps, cmd: SendButtonsCommand) {
  const outcome = await runSendButtons(deps, cmd);
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

describe("sendButtons and an adapter that never answers", () => {
  it("reports it as retryable and possibly delivered, naming the attempt timeout", async () => {
    const sends: string[] = [];
    const { deps } = world(deaf(sends));
    const error = await failureOf(
      { ...deps, policy: { ...deps.policy, attemptTimeoutMs: 20, maxRetries: 0 } },
      command(),
    );
    expect(error).toMatchObject({
      _tag: "ProviderUnavailable",
      provider: "deaf",
      retryable: true,
      deliveryUnknown: true,
    });
    expect(error.message).toContain("20 ms");
  });

  it("sends again when the operator opted in to retrying what may have been delivered", async () => {
    const sends: string[] = [];
    const { deps } = world(deaf(sends));
    await failureOf(
      {
        ...deps,
        policy: {
          ...deps.policy,
          attemptTimeoutMs: 20,
          maxRetries: 1,
          retryWhenDeliveryUnknown: true,
        },
      },
      command(),
    );
    expect(sends).toHaveLength(2);
  });
});

describe("sendButtons cut short while an attempt is under way", () => {
  it("fails at once, not at the attempt timeout, as retryable and possibly delivered", async () => {
    const sends: string[] = [];
    const { deps } = world(deaf(sends));
    const shutdown = new AbortController();
    const started = Date.now();
    const pending = runSendButtons(
      { ...deps, policy: { ...deps.policy, attemptTimeoutMs: 10_000 } },
      command({ idempotencyKey: "k", signal: shutdown.signal }),
    );
    setTimeout(() => shutdown.abort(), 20);
    const outcome = await pending;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome).toMatchObject({
      ok: false,
      error: {
        _tag: "ProviderUnavailable",
        provider: "deaf",
        retryable: true,
        deliveryUnknown: true,
      },
    });
    expect(sends).toHaveLength(1);
    expect(await failureOf(deps, command({ idempotencyKey: "k" }))).toMatchObject({
      _tag: "IdempotencyConflict",
      reason: "outcome_unknown",
    });
  });

  it("says a send cut short before it started may be retried, and that nothing went out", async () => {
    const { deps } = world();
    const error = await failureOf(deps, command({ signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ _tag: "ProviderUnavailable", retryable: true });
    expect(error).not.toHaveProperty("deliveryUnknown");
  });
});

describe("an attempt that is over", () => {
  it("is never aborted afterwards by its own timeout", async () => {
    const channel = new FakeChannel({ provider: "whatsapp" });
    const { deps } = world(channel);
    const outcome = await runSendButtons(
      { ...deps, policy: { ...deps.policy, attemptTimeoutMs: 30 } },
      command(),
    );
    expect(outcome.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(channel.sends[0]?.context.signal.aborted).toBe(false);
  });
});

describe("an attempt's signal", () => {
  it("tells the adapter it aborts on its own within the attempt's timeout", async () => {
    const channel = new FakeChannel({ provider: "whatsapp" });
    const { deps } = world(channel);
    const outcome = await runSendButtons(deps, command());
    expect(outcome.ok).toBe(true);
    expect(channel.sends[0]?.context.signalTimeoutMs).toBe(200);
  });

  it("is given, to a channel that does not read it on demand, as data a copy of the context keeps", async () => {
    const channel = new FakeChannel({ provider: "whatsapp" });
    const { deps } = world(channel);
    await runSendButtons(deps, command());
    const context = channel.sends[0]?.context;
    expect({ ...context }.signal).toBeInstanceOf(AbortSignal);
    expect({ ...context }.signal).toBe(context?.signal);
  });
});

/**
 * A channel that reads its signal on demand: it listens on `cancellation` and never reads
 * `signal` unless told to, and never answers, so that the attempt times out.
 */
function onDemand(readSignal: "never" | "at once" | "after the abort") {
  const heard: { context: SendContext; reason?: unknown; signal?: AbortSignal }[] = [];
  const channel: ChannelPort = {
    provider: "whatsapp",
    capabilities: new FakeChannel().capabilities,
    signalOnDemand: true,
    send: (_recipient, _message, context) => {
      const seen: (typeof heard)[number] = { context };
      heard.push(seen);
      if (readSignal === "at once") seen.signal = context.signal;
      return new Promise((_, reject) => {
        context.cancellation?.addEventListener("abort", () => {
          seen.reason = context.cancellation?.reason;
          if (readSignal === "after the abort") seen.signal = context.signal;
          reject(
            new ProviderUnavailable({
              provider: "whatsapp",
              retryable: true,
              deliveryUnknown: true,
              message: "abandoned",
            }),
          );
        });
      });
    },
  };
  return { channel, heard };
}

describe("an attempt's signal, for a channel that reads it on demand", () => {
  it("is never made when the channel only listens on its cancellation", async () => {
    const made = vi.spyOn(AbortController.prototype, "signal", "get");
    try {
      const { channel, heard } = onDemand("never");
      const { deps } = world(channel);
      const error = await failureOf(
        { ...deps, policy: { ...deps.policy, attemptTimeoutMs: 20, maxRetries: 0 } },
        command(),
      );
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect((error as ProviderUnavailable).deliveryUnknown).toBe(true);
      // The attempt timed out through the cancellation, whose reason says so.
      expect(heard[0]?.reason).toMatchObject({ name: "TimeoutError" });
      expect(made).not.toHaveBeenCalled();
    } finally {
      made.mockRestore();
    }
  });

  it("is the same abort as the cancellation when the channel reads it before the abort", async () => {
    const { channel, heard } = onDemand("at once");
    const { deps } = world(channel);
    await failureOf(
      { ...deps, policy: { ...deps.policy, attemptTimeoutMs: 20, maxRetries: 0 } },
      command(),
    );
    expect(heard[0]?.signal?.aborted).toBe(true);
    expect(heard[0]?.signal?.reason).toBe(heard[0]?.reason);
    expect(heard[0]?.context.signalTimeoutMs).toBe(20);
    expect(heard[0]?.context.requestId).toBe("req-1");
  });

  it("is made already aborted, with the attempt's reason, when read after the abort", async () => {
    const { channel, heard } = onDemand("after the abort");
    const { deps } = world(channel);
    const shutdown = new AbortController();
    const failing = failureOf(deps, command({ signal: shutdown.signal }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    shutdown.abort();
    expect(await failing).toBeInstanceOf(ProviderUnavailable);
    expect(heard[0]?.signal?.aborted).toBe(true);
    expect(heard[0]?.signal?.reason).toMatchObject({ name: "AbortError" });
    expect(heard[0]?.signal?.reason).toBe(heard[0]?.reason);
  });
});

describe("sendButtons and the message log", () => {
  it("records each sent message with its ids, where it went and its buttons", async () => {
    const messageLog = new InMemoryMessageLog();
    const { deps, clock } = world();
    const outcome = await runSendButtons({ ...deps, messageLog }, command());
    expect(outcome.ok).toBe(true);
    expect(await messageLog.find("msg-1")).toMatchObject({
      messageId: "msg-1",
      providerMessageId: "whatsapp-1",
      provider: "whatsapp",
      organizationId: "acme",
      connectionId: "wa-acme",
      conversationId: "conv-1",
      recipient: "5511990000001",
      buttons: [
        { id: "yes", title: "Yes" },
        { id: "no", title: "No" },
      ],
      sentAt: new Date(clock.now()),
    });
  });

  it("still answers with the sent message when the log fails, and logs that it was not recorded", async () => {
    const failing = {
      record: async () => {
        throw new RangeError("disk full");
      },
    } as unknown as MessageLog;
    const { deps, logger } = world();
    const outcome = await runSendButtons({ ...deps, messageLog: failing }, command());
    expect(outcome).toMatchObject({ ok: true, value: { messageId: "msg-1" } });
    expect(logger.entries).toContainEqual({
      level: "warn",
      event: "send_buttons.not_recorded",
      fields: {
        requestId: "req-1",
        provider: "whatsapp",
        agentId: "agent-1",
        conversationId: "conv-1",
        messageId: "msg-1",
        errorName: "RangeError",
      },
    });
  });
});

describe("a defect during the retries", () => {
  it("rejects the send with it rather than reporting a send cut short", async () => {
    const channel = new FakeChannel({ provider: "whatsapp" });
    channel.answerNext(
      { kind: "unavailable", retryable: true },
      { kind: "unavailable", retryable: true },
    );
    const { deps } = world(channel);
    const failure = new Error("the logger broke");
    let failures = 0;
    const logger = {
      log(_level: string, event: string) {
        // The second attempt's failure is logged inside the retries.
        if (event !== "send_buttons.attempt_failed") return;
        failures += 1;
        if (failures === 2) throw failure;
      },
    };
    await expect(
      runSendButtons({ ...deps, logger }, command({ signal: new AbortController().signal })),
    ).rejects.toBe(failure);
  });
});

describe("sendButtons cut short between two attempts", () => {
  it("fails at once during the wait before a retry, without starting the next attempt", async () => {
    const channel = new FakeChannel({ provider: "whatsapp" });
    channel.answerNext({ kind: "unavailable", retryable: true, retryAfterMs: 5_000 });
    const { deps } = world(channel);
    const shutdown = new AbortController();
    const started = Date.now();
    const pending = runSendButtons(
      {
        ...deps,
        policy: { ...deps.policy, initialBackoffMs: 5_000, maxBackoffMs: 10_000, maxRetries: 2 },
      },
      command({ idempotencyKey: "k-wait", signal: shutdown.signal }),
    );
    // The first attempt has failed and the retry is waiting out its 5 s backoff.
    await expect.poll(() => channel.sends.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    shutdown.abort();
    const outcome = await pending;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(outcome).toMatchObject({
      ok: false,
      error: { _tag: "ProviderUnavailable", retryable: true },
    });
    expect(channel.sends).toHaveLength(1);
  });

  it("fails at once when the signal was aborted during the first attempt's failure", async () => {
    const shutdown = new AbortController();
    const channel: ChannelPort = {
      provider: "flaky",
      capabilities: new FakeChannel().capabilities,
      send: async () => {
        shutdown.abort();
        throw new ProviderUnavailable({
          provider: "flaky",
          retryable: true,
          message: "try again",
        });
      },
    };
    const { deps } = world(channel);
    const started = Date.now();
    const error = await failureOf(
      { ...deps, policy: { ...deps.policy, initialBackoffMs: 5_000, maxBackoffMs: 10_000 } },
      command({ signal: shutdown.signal }),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error).toMatchObject({ _tag: "ProviderUnavailable", retryable: true });
  });
});

describe("an adapter whose send throws instead of rejecting", () => {
  it("is an unexpected failure of the adapter: not retried, possibly delivered, its text not quoted", async () => {
    let calls = 0;
    const channel: ChannelPort = {
      provider: "throwing",
      capabilities: new FakeChannel().capabilities,
      send: () => {
        calls += 1;
        throw new TypeError("https://provider.example/token/SECRET-IN-TEXT");
      },
    };
    const { deps } = world(channel);
    const error = await failureOf(deps, command({ idempotencyKey: "k-throw" }));
    expect(error).toMatchObject({
      _tag: "ProviderUnavailable",
      retryable: false,
      deliveryUnknown: true,
    });
    expect(JSON.stringify(error)).not.toContain("SECRET-IN-TEXT");
    expect(String((error as { message?: string }).message)).toContain("TypeError");
    expect(calls).toBe(1);
  });
});

describe("the shutdown signal a send listens to", () => {
  it("has no listener of the send left once it ended, retried or not (one signal serves every send)", async () => {
    const channel = new FakeChannel({ provider: "whatsapp" });
    const { deps } = world(channel);
    const shutdown = new AbortController();
    // The abort listeners on the signal, counted as they are added and removed.
    const listening = new Set<unknown>();
    const signal = shutdown.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | AddEventListenerOptions,
    ) => {
      if (type === "abort") listening.add(listener);
      add(type, listener, options);
    };
    signal.removeEventListener = (
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | EventListenerOptions,
    ) => {
      // Only a removal of an "abort" listener lets go of it.
      if (type === "abort") listening.delete(listener);
      remove(type, listener, options);
    };
    channel.answerNext({ kind: "unavailable", retryable: true }, { kind: "accept" });
    expect(await runSendButtons(deps, command({ signal: shutdown.signal }))).toMatchObject({
      ok: true,
    });
    expect(await runSendButtons(deps, command({ signal: shutdown.signal }))).toMatchObject({
      ok: true,
    });
    await Effect.runPromise(sendButtons(deps, command({ signal: shutdown.signal })));
    expect(channel.sends).toHaveLength(4);
    expect(listening.size).toBe(0);
  });
});

/** Polls until `condition` holds (a send reached its adapter, a lookup started). */
const until = async (condition: () => boolean) => {
  for (let turn = 0; turn < 1_000 && !condition(); turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  expect(condition()).toBe(true);
};

const agentOne = { id: "agent-1", organizationId: "acme" };

describe("interrupting the sendButtons effect", () => {
  it("aborts the attempt under way and keeps its key as outcome_unknown before it ends", async () => {
    const sends: string[] = [];
    const channel = deaf(sends);
    const { deps } = world(channel);
    const seen: AbortSignal[] = [];
    const watched: ChannelPort = {
      ...channel,
      send: (recipient, message, context) => {
        seen.push(context.signal);
        return channel.send(recipient, message, context);
      },
    };
    const fiber = Effect.runFork(
      sendButtons(
        { ...deps, channels: new InMemoryChannelDirectory({ "wa-acme": watched }) },
        command({ idempotencyKey: "k" }),
      ),
    );
    await until(() => sends.length === 1);

    await Effect.runPromise(Fiber.interrupt(fiber));

    expect(Exit.hasInterrupts(await Effect.runPromise(Effect.exit(Fiber.join(fiber))))).toBe(true);
    expect(seen[0]?.aborted).toBe(true);
    // Settled by the time the interruption returned: the repeat is told, not sent again.
    const repeat = await runSendButtons(deps, command({ idempotencyKey: "k", requestId: "req-2" }));
    expect(repeat).toMatchObject({
      ok: false,
      error: { _tag: "IdempotencyConflict", reason: "outcome_unknown" },
    });
    expect(sends).toHaveLength(1);
  });

  it("gives the key back when no attempt had started, so that a repeat sends", async () => {
    let lookUp: (() => void) | undefined;
    const slowAgents: AgentDirectory = {
      findAgent: (id) =>
        new Promise((resolve) => {
          lookUp = () => resolve(id === agentOne.id ? agentOne : undefined);
        }),
    };
    const channel = new FakeChannel({ provider: "whatsapp" });
    const { deps } = world(channel);
    const fiber = Effect.runFork(
      sendButtons({ ...deps, agents: slowAgents }, command({ idempotencyKey: "k" })),
    );
    await until(() => lookUp !== undefined);

    const interrupted = Effect.runPromise(Fiber.interrupt(fiber));
    lookUp?.();
    await interrupted;

    expect(channel.sends).toHaveLength(0);
    const repeat = await runSendButtons(deps, command({ idempotencyKey: "k", requestId: "req-2" }));
    expect(repeat).toMatchObject({ ok: true, value: { status: "sent" } });
    expect(channel.sends).toHaveLength(1);
  });

  it("is cut short by the command's own signal as runSendButtons is", async () => {
    const channel = new FakeChannel({ provider: "whatsapp" });
    channel.answerNext({ kind: "hang" });
    const { deps } = world(channel);
    const shutdown = new AbortController();
    const pending = Effect.runPromise(
      Effect.result(
        sendButtons(
          { ...deps, policy: { ...deps.policy, attemptTimeoutMs: 10_000 } },
          command({ signal: shutdown.signal }),
        ),
      ),
    );
    await until(() => channel.sends.length === 1);
    shutdown.abort();

    expect(await pending).toMatchObject({
      _tag: "Failure",
      failure: {
        _tag: "ProviderUnavailable",
        deliveryUnknown: true,
        message: expect.stringContaining("may or may not have been sent"),
      },
    });
    expect(channel.sends[0]?.context.signal.reason).toMatchObject({ name: "AbortError" });
  });

  it("sends nothing when the command's signal had aborted before it ran", async () => {
    const channel = new FakeChannel({ provider: "whatsapp" });
    const { deps } = world(channel);
    const result = await Effect.runPromise(
      Effect.result(sendButtons(deps, command({ signal: AbortSignal.abort() }))),
    );
    expect(result).toMatchObject({
      _tag: "Failure",
      failure: {
        _tag: "ProviderUnavailable",
        message: expect.stringContaining("before it started"),
      },
    });
    expect(result._tag === "Failure" && result.failure).not.toHaveProperty("deliveryUnknown");
    expect(channel.sends).toHaveLength(0);
  });

  it("dies with the defect of a port that rejects", async () => {
    const { deps } = world();
    const broken: AgentDirectory = { findAgent: () => Promise.reject(new Error("directory down")) };
    const exit = await Effect.runPromise(
      Effect.exit(sendButtons({ ...deps, agents: broken }, command())),
    );
    expect(Exit.hasDies(exit)).toBe(true);
  });
});
