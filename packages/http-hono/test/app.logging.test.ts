import {
  FakeChannel,
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  ManualClock,
} from "@replykit/core/testing";
import { describe, expect, it } from "vitest";
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
    expect(parsed.map((line) => line.event)).toEqual(
      expect.arrayContaining(["send_buttons.sent", "http.request"]),
    );
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
});
