import type { SendButtonsDeps } from "@replykit/core";
import {
  FakeChannel,
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  InMemoryIdempotencyStore,
  ManualClock,
  RecordingLogger,
} from "@replykit/core/testing";
import { describe, expect, it, vi } from "vitest";
import { type AppDeps, AuthFailureLimiter, addressFromHeader, createApp } from "../src/index.js";

const TOKEN = "rk_test_acme";
const VALID = {
  agentId: "agent-1",
  conversationId: "conv-1",
  body_text: "Did it arrive?",
  button_1_id: "yes",
  button_1_title: "Yes",
};

function world(overrides: Partial<AppDeps> = {}) {
  const channel = new FakeChannel({ provider: "whatsapp" });
  const clock = new ManualClock();
  const authenticator = new InMemoryAuthenticator({
    [TOKEN]: { subject: "key-1", organizationId: "acme", kind: "api_key" },
  });
  const deps: SendButtonsDeps = {
    authenticator,
    agents: new InMemoryAgentDirectory([{ id: "agent-1", organizationId: "acme" }]),
    conversations: new InMemoryConversationDirectory([
      {
        id: "conv-1",
        organizationId: "acme",
        channelConnectionId: "wa",
        recipient: "5511999990000",
      },
    ]),
    channels: new InMemoryChannelDirectory({ wa: channel }),
    clock,
    logger: new RecordingLogger(),
    idempotency: new InMemoryIdempotencyStore({ clock }),
    policy: { maxRetries: 0, attemptTimeoutMs: 200 },
  };
  const app = createApp({ ...deps, ...overrides });
  const send = (
    options: { token?: string; body?: BodyInit; headers?: Record<string, string> } = {},
  ) =>
    app.request("/messages/interactive/send-buttons", {
      method: "POST",
      headers: {
        authorization: `Bearer ${options.token ?? TOKEN}`,
        "content-type": "application/json",
        ...options.headers,
      },
      body: options.body ?? JSON.stringify(VALID),
      ...(options.body instanceof ReadableStream ? { duplex: "half" } : {}),
    } as RequestInit);
  return { app, channel, clock, authenticator, send };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("the bound on sends in flight", () => {
  it("answers 503 with Retry-After at once beyond the bound, sending nothing, and takes requests again once one ends", async () => {
    const { channel, send } = world({ maxInFlightSends: 2 });
    channel.answerNext({ kind: "hang" }, { kind: "hang" });
    const holding = [send(), send()];
    await settle();
    expect(channel.sends).toHaveLength(2);

    const refused = await send();
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect((await refused.json()).error).toMatchObject({ type: "unavailable", code: "overloaded" });
    expect(channel.sends).toHaveLength(2);

    // The held attempts time out (attemptTimeoutMs), which frees their places.
    expect((await Promise.all(holding)).map((response) => response.status)).toEqual([500, 500]);
    expect((await send()).status).toBe(200);
  });

  it("refuses a bound that is not a positive integer", () => {
    expect(() => world({ maxInFlightSends: 0 })).toThrow(RangeError);
  });
});

describe("authentication before the body", () => {
  it("answers a bad token 401 without reading the body", async () => {
    const { send } = world();
    let pulled = false;
    const body = new ReadableStream(
      {
        pull(controller) {
          pulled = true;
          controller.enqueue(new TextEncoder().encode(JSON.stringify(VALID)));
          controller.close();
        },
      },
      { highWaterMark: 0 },
    );
    const response = await send({ token: "rk_wrong", body });
    expect(response.status).toBe(401);
    expect(pulled).toBe(false);
  });

  it("hands the use case the principal it found, asking the authenticator once per request", async () => {
    const { send, authenticator, channel } = world();
    const spy = vi.spyOn(authenticator, "authenticate");
    expect((await send()).status).toBe(200);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(channel.sends).toHaveLength(1);
  });
});

describe("the limit on failed authentications", () => {
  const fromClient = (address: string) => ({ "x-real-ip": address });

  it("answers 429 with Retry-After once a client failed maxFailures times in the window, without checking its token", async () => {
    const { send, clock, authenticator } = world({
      authFailureLimit: { maxFailures: 3, windowMs: 60_000 },
      clientAddress: addressFromHeader("x-real-ip"),
    });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await send({ token: "rk_guess", headers: fromClient("10.0.0.1") })).status).toBe(401);
    }
    const spy = vi.spyOn(authenticator, "authenticate");
    clock.advance(20_000);
    const limited = await send({ token: TOKEN, headers: fromClient("10.0.0.1") });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("40");
    expect((await limited.json()).error).toMatchObject({
      type: "rate_limited",
      code: "too_many_auth_failures",
    });
    expect(spy).not.toHaveBeenCalled();

    // Another client is not affected; the first may try again once its window ended.
    expect((await send({ headers: fromClient("10.0.0.2") })).status).toBe(200);
    clock.advance(40_000);
    expect((await send({ headers: fromClient("10.0.0.1") })).status).toBe(200);
  });

  it("counts no client whose address is unknown, rather than all of them as one", async () => {
    const { send } = world({ authFailureLimit: { maxFailures: 1 } });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await send({ token: "rk_guess" })).status).toBe(401);
    }
    expect((await send()).status).toBe(200);
  });
});

describe("the shutdown signal", () => {
  it("cuts a send in flight short with 503 shutting_down, delivery unknown, and keeps its key", async () => {
    const shutdown = new AbortController();
    const { send, channel } = world({
      shutdownSignal: shutdown.signal,
      policy: { attemptTimeoutMs: 60_000 },
    });
    channel.answerNext({ kind: "hang" });
    const pending = send({ headers: { "idempotency-key": "k1" } });
    await settle();
    shutdown.abort();
    const response = await pending;
    expect(response.status).toBe(503);
    expect(response.headers.get("connection")).toBe("close");
    expect((await response.json()).error).toMatchObject({
      type: "unavailable",
      code: "shutting_down",
      deliveryUnknown: true,
    });
    const repeat = await send({ headers: { "idempotency-key": "k1" } });
    expect(repeat.status).toBe(409);
    expect((await repeat.json()).error.code).toBe("idempotency_outcome_unknown");
    expect(channel.sends).toHaveLength(1);
  });
});

describe("AuthFailureLimiter", () => {
  it("tracks at most maxClients clients, forgetting the oldest window first", () => {
    const clock = new ManualClock();
    const limiter = new AuthFailureLimiter({ maxFailures: 1, maxClients: 2 }, clock);
    limiter.recordFailure("a");
    limiter.recordFailure("b");
    limiter.recordFailure("c");
    expect(limiter.trackedClients).toBe(2);
    expect(limiter.blockedFor("a")).toBeUndefined();
    expect(limiter.blockedFor("c")).toBe(60_000);
  });

  it("forgets windows that ended", () => {
    const clock = new ManualClock();
    const limiter = new AuthFailureLimiter({ windowMs: 1_000 }, clock);
    limiter.recordFailure("a");
    clock.advance(1_000);
    limiter.recordFailure("b");
    expect(limiter.trackedClients).toBe(1);
  });

  it("refuses a limit that is not a positive integer", () => {
    expect(() => new AuthFailureLimiter({ windowMs: 0 }, new ManualClock())).toThrow(RangeError);
  });
});

describe("a client that hung up", () => {
  it("gets no send started on its behalf", async () => {
    const { app, channel } = world();
    const gone = new AbortController();
    gone.abort();
    const response = await app.request("/messages/interactive/send-buttons", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify(VALID),
      signal: gone.signal,
    });
    expect(response.status).toBe(500);
    expect(channel.sends).toHaveLength(0);
  });
});
