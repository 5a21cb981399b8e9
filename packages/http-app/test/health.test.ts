import type { SendButtonsDeps } from "@replykit/core";
import {
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  InMemoryIdempotencyStore,
  ManualClock,
  RecordingLogger,
} from "@replykit/core/testing";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type AppDeps, createApp } from "../src/index.js";

function world(overrides: Partial<AppDeps> = {}) {
  const clock = new ManualClock();
  const logger = new RecordingLogger();
  const deps: SendButtonsDeps = {
    authenticator: new InMemoryAuthenticator({}),
    agents: new InMemoryAgentDirectory([]),
    conversations: new InMemoryConversationDirectory([]),
    channels: new InMemoryChannelDirectory({}),
    clock,
    logger,
    idempotency: new InMemoryIdempotencyStore({ clock }),
  };
  return { app: createApp({ ...deps, ...overrides }), logger };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("GET /healthz", () => {
  it("answers 200 without authentication and without an access-log line", async () => {
    const { app, logger } = world();
    const response = await app.request("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(logger.entries.filter((entry) => entry.event === "http.request")).toEqual([]);
  });

  it("answers 200 even when the readiness check fails: the process is up", async () => {
    const { app } = world({ readiness: () => Promise.reject(new Error("database down")) });
    expect((await app.request("/healthz")).status).toBe(200);
  });
});

describe("GET /readyz", () => {
  it("answers 200 when no readiness check is given", async () => {
    const { app } = world();
    const response = await app.request("/readyz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready" });
  });

  it("runs the readiness check on every probe and answers 200 once it passes", async () => {
    let checks = 0;
    const { app } = world({
      readiness: async () => {
        checks += 1;
      },
    });
    expect((await app.request("/readyz")).status).toBe(200);
    expect((await app.request("/readyz")).status).toBe(200);
    expect(checks).toBe(2);
  });

  it("answers 503 not_ready when the check rejects, logging the reason and never answering it", async () => {
    const { app, logger } = world({
      readiness: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:5432")),
    });
    const response = await app.request("/readyz");
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ status: "not_ready" });
    expect(text).not.toContain("ECONNREFUSED");
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: "warn",
        event: "http.not_ready",
        fields: expect.objectContaining({ reason: "connect ECONNREFUSED 127.0.0.1:5432" }),
      }),
    );
  });

  it("answers 503 when the check hangs past 2 s, instead of hanging the probe", async () => {
    vi.useFakeTimers();
    const { app } = world({ readiness: () => new Promise<void>(() => {}) });
    const answered = Promise.resolve(app.request("/readyz"));
    await vi.advanceTimersByTimeAsync(1_999);
    let settled = false;
    void answered.then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await answered).status).toBe(503);
  });

  it("answers 503 shutting_down once the server stops, without running the check", async () => {
    const shutdown = new AbortController();
    let checks = 0;
    const { app } = world({
      shutdownSignal: shutdown.signal,
      readiness: async () => {
        checks += 1;
      },
    });
    shutdown.abort();
    const response = await app.request("/readyz");
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "shutting_down" });
    expect(checks).toBe(0);
  });
});
