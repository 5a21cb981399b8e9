import { Effect, Exit, Fiber } from "effect";
import { describe, expect, it } from "vitest";
import {
  type AgentDirectory,
  runSendButtons,
  type SendButtonsCommand,
  type SendButtonsDeps,
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

// The Effect API's interruption: what becomes of the attempt under way and of the send's
// idempotency key when a caller interrupts `sendButtons`, and when the interruption ends.

const TOKEN = "rk_test_acme";

function world(agents: AgentDirectory = new InMemoryAgentDirectory([agentAcme])) {
  const clock = new ManualClock();
  const channel = new FakeChannel({ provider: "whatsapp" });
  const deps: SendButtonsDeps = {
    authenticator: new InMemoryAuthenticator({
      [TOKEN]: { subject: "key-acme", organizationId: "acme", kind: "api_key" },
    }),
    agents,
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
    logger: new RecordingLogger(),
    policy: { initialBackoffMs: 1, maxBackoffMs: 20, attemptTimeoutMs: 5_000, maxRetries: 2 },
    idempotency: new InMemoryIdempotencyStore({ clock }),
  };
  return { deps, channel };
}

const agentAcme = { id: "agent-1", organizationId: "acme" };

const command = (overrides: Partial<SendButtonsCommand> = {}): SendButtonsCommand => ({
  token: TOKEN,
  agentId: "agent-1",
  conversationId: "conv-1",
  message: { body: "Did it arrive?", buttons: [{ id: "yes", title: "Yes" }] },
  idempotencyKey: "key-1",
  requestId: "req-1",
  ...overrides,
});

const until = async (condition: () => boolean) => {
  for (let turn = 0; turn < 1_000 && !condition(); turn += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  expect(condition()).toBe(true);
};

describe("interrupting sendButtons", () => {
  it("aborts the attempt under way and keeps its key as outcome_unknown before it ends", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "hang" });
    const fiber = Effect.runFork(sendButtons(deps, command()));
    await until(() => channel.sends.length === 1);

    await Effect.runPromise(Fiber.interrupt(fiber));

    const exit = await Effect.runPromise(Effect.exit(Fiber.join(fiber)));
    expect(Exit.hasInterrupts(exit)).toBe(true);
    expect(channel.sends[0]?.context.signal.aborted).toBe(true);
    // Settled by the time the interruption returned: the repeat is told, not sent again.
    const repeat = await runSendButtons(deps, command({ requestId: "req-2" }));
    expect(repeat).toMatchObject({
      ok: false,
      error: { _tag: "IdempotencyConflict", reason: "outcome_unknown" },
    });
    expect(channel.sends).toHaveLength(1);
  });

  it("gives the key back when no attempt had started, so that a repeat sends", async () => {
    let lookUp: (() => void) | undefined;
    const slowAgents: AgentDirectory = {
      findAgent: (id) =>
        new Promise((resolve) => {
          lookUp = () => resolve(id === agentAcme.id ? agentAcme : undefined);
        }),
    };
    const { deps, channel } = world(slowAgents);
    const fiber = Effect.runFork(sendButtons(deps, command()));
    await until(() => lookUp !== undefined);

    const interrupted = Effect.runPromise(Fiber.interrupt(fiber));
    lookUp?.();
    await interrupted;

    expect(channel.sends).toHaveLength(0);
    const repeat = await runSendButtons(
      { ...deps, agents: new InMemoryAgentDirectory([agentAcme]) },
      command({ requestId: "req-2" }),
    );
    expect(repeat).toMatchObject({ ok: true, value: { status: "sent" } });
    expect(channel.sends).toHaveLength(1);
  });

  it("is cut short by the command's own signal as runSendButtons is", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "hang" });
    const shutdown = new AbortController();
    const pending = Effect.runPromise(
      Effect.result(sendButtons(deps, command({ signal: shutdown.signal }))),
    );
    await until(() => channel.sends.length === 1);
    shutdown.abort();

    const result = await pending;
    expect(result).toMatchObject({
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
    const { deps, channel } = world();
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
    const broken: AgentDirectory = {
      findAgent: () => Promise.reject(new Error("directory down")),
    };
    const { deps } = world(broken);
    const exit = await Effect.runPromise(Effect.exit(sendButtons(deps, command())));
    expect(Exit.hasDies(exit)).toBe(true);
  });
});

/** The abort listeners `signal` holds now, as told by its own add and remove calls. */
function abortListenersOf(signal: AbortSignal): () => number {
  const listening = new Set<unknown>();
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListener, options?: unknown) => {
    if (type === "abort") listening.add(listener);
    add(type, listener, options as AddEventListenerOptions);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListener, options?: unknown) => {
    if (type === "abort") listening.delete(listener);
    remove(type, listener, options as EventListenerOptions);
  }) as typeof signal.removeEventListener;
  return () => listening.size;
}

describe("a send's listeners on the shutdown signal", () => {
  it("are all gone once the send ended, retries included", async () => {
    const { deps, channel } = world();
    channel.answerNext({ kind: "unavailable", retryable: true });
    const shutdown = new AbortController();
    const listeners = abortListenersOf(shutdown.signal);
    const outcome = await runSendButtons(deps, command({ signal: shutdown.signal }));
    expect(outcome).toMatchObject({ ok: true });
    expect(channel.sends).toHaveLength(2);
    expect(listeners()).toBe(0);

    await Effect.runPromise(
      sendButtons(deps, command({ signal: shutdown.signal, idempotencyKey: "key-2" })),
    );
    expect(listeners()).toBe(0);
  });
});
