import {
  FakeChannel,
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  ManualClock,
  RecordingLogger,
} from "@replykit/core/testing";
import { describe, expect, it, vi } from "vitest";
import { createApp, createJsonLogger, REDACTED, redact, withRedaction } from "../src/index.js";

const TOKEN = "rk_live_never-log-me";

describe("createJsonLogger", () => {
  it("writes one JSON object per line with time, level, event and the fields", () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), now: () => 0 });
    logger.log("info", "send_buttons.sent", { requestId: "r1", durationMs: 12 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? "")).toEqual({
      time: "1970-01-01T00:00:00.000Z",
      level: "info",
      event: "send_buttons.sent",
      requestId: "r1",
      durationMs: 12,
    });
  });

  it("drops lines below its level and never lets fields override time, level or event", () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line), level: "warn" });
    logger.log("info", "quiet");
    logger.log("debug", "quieter");
    logger.log("error", "loud", { level: "debug", event: "spoofed" });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: "error", event: "loud" }),
    ]);
  });

  it("redacts credentials by field name, at any depth, and bearer credentials in text", () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line) });
    logger.log("warn", "careless", {
      token: TOKEN,
      headers: { Authorization: `Bearer ${TOKEN}`, "x-api-key": TOKEN },
      config: [{ apiKey: TOKEN, clientSecret: TOKEN, password: TOKEN, accessToken: TOKEN }],
      note: `upstream said: Authorization: Bearer ${TOKEN}`,
      error: new Error(`bad header Bearer ${TOKEN}`),
      requestId: "kept",
    });
    const [line] = lines;
    expect(line).not.toContain(TOKEN);
    expect(JSON.parse(line ?? "")).toMatchObject({
      token: REDACTED,
      headers: { Authorization: REDACTED, "x-api-key": REDACTED },
      requestId: "kept",
      error: { name: "Error" },
    });
  });

  it("masks credentials inside URLs in text: user info and sensitive query values", () => {
    const redacted = redact({
      note: "connect failed: postgres://replykit:hunter2@db.internal:5432/app (timeout)",
      url: "https://api.example/v1/send?page=2&token=tok_SECRET1&key=SECRET2&access_token=SECRET3",
      form: "callback?api_key=SECRET4;x=1",
      quoted: '{"url":"redis://:SECRET5@cache:6379/0","next":"https://h/?sig=SECRET6#top"}',
      error: new Error("GET https://graph.example/x?client_secret=SECRET7 failed"),
      nested: ["amqp://guest:SECRET8@mq/vhost", "mailto:someone@example.com"],
    });
    const text = JSON.stringify(redacted);
    expect(text).not.toMatch(/hunter2|SECRET\d/);
    expect(redacted).toMatchObject({
      note: `connect failed: postgres://${REDACTED}@db.internal:5432/app (timeout)`,
      url: `https://api.example/v1/send?page=2&token=${REDACTED}&key=${REDACTED}&access_token=${REDACTED}`,
      nested: [`amqp://${REDACTED}@mq/vhost`, "mailto:someone@example.com"],
    });
    // What is not a credential stays readable.
    expect(text).toContain("db.internal:5432/app");
    expect(text).toContain("page=2");
    expect(text).toContain("x=1");
  });

  it("survives cycles, bigints and functions", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    expect(redact({ cyclic, big: 10n, fn: () => 1 })).toEqual({
      cyclic: { name: "loop", self: "[Circular]" },
      big: "10",
      fn: undefined,
    });
  });
});

describe("logs of the app", () => {
  it("carry the request id on every line and no credential, through a JSON logger", async () => {
    const lines: string[] = [];
    const app = createApp({
      authenticator: new InMemoryAuthenticator({
        [TOKEN]: { kind: "api_key", subject: "key_a", organizationId: "org_a" },
      }),
      agents: new InMemoryAgentDirectory([{ id: "agent_a", organizationId: "org_a" }]),
      conversations: new InMemoryConversationDirectory([
        { id: "conv_a", organizationId: "org_a", channelConnectionId: "c1", recipient: "5511" },
      ]),
      channels: new InMemoryChannelDirectory({ c1: new FakeChannel({ provider: "whatsapp" }) }),
      clock: new ManualClock(),
      logger: createJsonLogger({ write: (line) => lines.push(line), level: "debug" }),
    });
    const send = (token: string, requestId: string) =>
      app.request("/messages/interactive/send-buttons", {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${token}`,
          "X-Request-Id": requestId,
        },
        body: JSON.stringify({
          agentId: "agent_a",
          conversationId: "conv_a",
          body_text: "Hello",
          button_1_id: "ok",
          button_1_title: "OK",
        }),
      });
    expect((await send(TOKEN, "req-1")).status).toBe(200);
    expect((await send(`${TOKEN}-wrong`, "req-2")).status).toBe(401);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    // One line per request: the message sent is on its http.request line.
    expect(parsed.map((line) => line.event)).toEqual(["http.request", "http.request"]);
    expect(parsed[0]).toMatchObject({ status: 200, messageId: expect.any(String) });
    for (const line of parsed) expect(["req-1", "req-2"]).toContain(line.requestId);
    expect(lines.join("\n")).not.toContain(TOKEN);
    expect(parsed.find((line) => line.requestId === "req-2")).toMatchObject({
      event: "http.request",
      status: 401,
      errorCode: "invalid_token",
    });
  });

  it("wraps any Logger with the redaction safety net", () => {
    const seen: unknown[] = [];
    const logger = withRedaction({ log: (_level, _event, fields) => seen.push(fields) });
    logger.log("info", "x", { authorization: TOKEN, nested: { password: TOKEN } });
    expect(JSON.stringify(seen)).not.toContain(TOKEN);
  });

  it("does not wrap a logger that already redacts, nor wrap twice", () => {
    const json = createJsonLogger({ write: () => undefined });
    expect(withRedaction(json)).toBe(json);
    const wrapped = withRedaction({ log: () => undefined });
    expect(withRedaction(wrapped)).toBe(wrapped);
  });

  it("redacts each line once when given createJsonLogger, which already redacts", async () => {
    let reads = 0;
    // An agent id that counts how often the redaction walks it.
    const agentId = {
      get id() {
        reads += 1;
        return "agent_a";
      },
    };
    const lines: string[] = [];
    const logger = createJsonLogger({ write: (line) => lines.push(line) });
    const log = vi.spyOn(logger, "log");
    // A first attempt that fails: its warn line carries the agent id (a message sent is
    // on the http.request line, with the id the request gave).
    const channel = new FakeChannel({ provider: "whatsapp" });
    channel.answerNext({ kind: "unavailable", providerCode: 130429 });
    const app = createApp({
      authenticator: new InMemoryAuthenticator({
        [TOKEN]: { kind: "api_key", subject: "key_a", organizationId: "org_a" },
      }),
      agents: {
        findAgent: async () => ({ id: agentId as unknown as string, organizationId: "org_a" }),
      },
      conversations: new InMemoryConversationDirectory([
        { id: "conv_a", organizationId: "org_a", channelConnectionId: "c1", recipient: "5511" },
      ]),
      channels: new InMemoryChannelDirectory({ c1: channel }),
      clock: new ManualClock(),
      logger,
      policy: { initialBackoffMs: 1, maxBackoffMs: 1 },
    });
    const response = await app.request("/messages/interactive/send-buttons", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        agentId: "agent_a",
        conversationId: "conv_a",
        body_text: "Hello",
        button_1_id: "ok",
        button_1_title: "OK",
      }),
    });
    expect(response.status).toBe(200);
    const failed = log.mock.calls.find(([, event]) => event === "send_buttons.attempt_failed");
    // The JSON logger gets the use case's own fields: no redacted copy made before its pass.
    expect(failed?.[2]?.agentId).toBe(agentId);
    expect(reads).toBe(1);
    const line = lines
      .map((text) => JSON.parse(text))
      .find((l) => l.event === "send_buttons.attempt_failed");
    expect(line).toMatchObject({ agentId: { id: "agent_a" } });
  });

  it("still redacts, URLs included, through a logger that does not", async () => {
    const logger = new RecordingLogger();
    const app = createApp({
      authenticator: new InMemoryAuthenticator({
        [TOKEN]: { kind: "api_key", subject: "key_a", organizationId: "org_a" },
      }),
      agents: {
        findAgent: async () => {
          throw new Error("connect failed: postgres://app:hunter2@db.internal/app?password=x");
        },
      },
      conversations: new InMemoryConversationDirectory([]),
      channels: new InMemoryChannelDirectory({}),
      clock: new ManualClock(),
      logger,
    });
    const response = await app.request("/messages/interactive/send-buttons", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        agentId: "agent_a",
        conversationId: "conv_a",
        body_text: "Hello",
        button_1_id: "ok",
        button_1_title: "OK",
      }),
    });
    expect(response.status).toBe(500);
    const logged = JSON.stringify(logger.entries);
    expect(logged).toContain("http.unhandled_error");
    expect(logged).toContain("db.internal");
    expect(logged).not.toContain("hunter2");
    expect(logged).not.toContain(TOKEN);
  });
});
