import { describe, expect, it } from "vitest";
import {
  type ButtonMessage,
  type ChannelPort,
  ProviderUnavailable,
  runSendButtons,
  type SendButtonsDeps,
  WHATSAPP_CLOUD_LIMITS,
} from "../src/index.js";
import {
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  ManualClock,
  RecordingLogger,
} from "../src/testing/index.js";

// How long the use case waits between attempts: its own backoff, starting at
// initialBackoffMs, never shorter than the provider's Retry-After and never longer than
// maxBackoffMs — a Retry-After of exactly maxBackoffMs is still waited for.

/** A channel that fails with `failures` in turn, then accepts; it notes when each send started. */
function scriptedChannel(failures: ProviderUnavailable[]) {
  const startedAt: number[] = [];
  const channel: ChannelPort = {
    provider: "whatsapp",
    capabilities: {
      maxButtons: 3,
      limits: WHATSAPP_CLOUD_LIMITS,
      header: true,
      footer: true,
      buttonRendering: "native",
    },
    async send(_recipient: string, _message: ButtonMessage) {
      startedAt.push(performance.now());
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      return { providerMessageId: `wamid-${startedAt.length}` };
    },
  };
  return { channel, startedAt };
}

const unavailable = (retryAfterMs?: number) =>
  new ProviderUnavailable({
    provider: "whatsapp",
    retryable: true,
    message: "slow down",
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });

function send(channel: ChannelPort, policy: NonNullable<SendButtonsDeps["policy"]>) {
  const deps: SendButtonsDeps = {
    authenticator: new InMemoryAuthenticator({
      token: { subject: "k", organizationId: "acme", kind: "api_key" },
    }),
    agents: new InMemoryAgentDirectory([{ id: "agent", organizationId: "acme" }]),
    conversations: new InMemoryConversationDirectory([
      { id: "conv", organizationId: "acme", channelConnectionId: "wa", recipient: "5511999990000" },
    ]),
    channels: new InMemoryChannelDirectory({ wa: channel }),
    clock: new ManualClock(),
    logger: new RecordingLogger(),
    newId: () => "msg",
    policy,
  };
  return runSendButtons(deps, {
    token: "token",
    agentId: "agent",
    conversationId: "conv",
    message: { body: "Hi", buttons: [{ id: "a", title: "A" }] },
  });
}

const gap = (startedAt: number[]) => (startedAt[1] ?? Number.NaN) - (startedAt[0] ?? Number.NaN);

describe("the delay between attempts", () => {
  it("is at least the provider's Retry-After", async () => {
    const { channel, startedAt } = scriptedChannel([unavailable(400)]);
    const outcome = await send(channel, { initialBackoffMs: 1, maxBackoffMs: 1_000 });
    expect(outcome.ok).toBe(true);
    expect(gap(startedAt)).toBeGreaterThanOrEqual(390);
  });

  it("starts from initialBackoffMs, far below maxBackoffMs, without a Retry-After", async () => {
    const { channel, startedAt } = scriptedChannel([unavailable()]);
    const outcome = await send(channel, { initialBackoffMs: 1, maxBackoffMs: 2_000 });
    expect(outcome.ok).toBe(true);
    expect(gap(startedAt)).toBeLessThan(1_000);
  });

  it("waits out a Retry-After of exactly maxBackoffMs, and retries", async () => {
    const { channel, startedAt } = scriptedChannel([unavailable(60)]);
    const outcome = await send(channel, { initialBackoffMs: 1, maxBackoffMs: 60 });
    expect(outcome.ok).toBe(true);
    expect(startedAt).toHaveLength(2);
    expect(gap(startedAt)).toBeGreaterThanOrEqual(55);
  });

  it("gives up, with the provider's Retry-After, when it is longer than maxBackoffMs", async () => {
    const { channel, startedAt } = scriptedChannel([unavailable(61)]);
    const outcome = await send(channel, { initialBackoffMs: 1, maxBackoffMs: 60 });
    expect(outcome).toMatchObject({ ok: false, error: { retryAfterMs: 61 } });
    expect(startedAt).toHaveLength(1);
  });
});
