import {
  FakeChannel,
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  ManualClock,
  RecordingLogger,
} from "@replykit/core/testing";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/index.js";

const TOKEN = "rk_test_headers";

/** hono's secureHeaders() defaults, which every answer carries. */
const SECURITY_HEADERS = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};

const appDeps = () => ({
  authenticator: new InMemoryAuthenticator({
    [TOKEN]: { kind: "api_key", subject: "key_a", organizationId: "org_a" },
  }),
  agents: new InMemoryAgentDirectory([{ id: "agent_a", organizationId: "org_a" }]),
  conversations: new InMemoryConversationDirectory([
    { id: "conv_a", organizationId: "org_a", channelConnectionId: "c1", recipient: "5511" },
  ]),
  channels: new InMemoryChannelDirectory({ c1: new FakeChannel({ provider: "whatsapp" }) }),
  clock: new ManualClock(),
  logger: new RecordingLogger(),
  maxBodyBytes: 512,
});

const app = createApp(appDeps());

const send = (body: string, headers: Record<string, string> = {}) =>
  app.request("/messages/interactive/send-buttons", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}`, ...headers },
    body,
  });

const VALID = JSON.stringify({
  agentId: "agent_a",
  conversationId: "conv_a",
  body_text: "Hello",
  button_1_id: "ok",
  button_1_title: "OK",
});

describe("the headers of every answer", () => {
  it.each([
    ["a message sent", () => send(VALID, { "X-Request-Id": "req-1" }), 200],
    ["a refused body", () => send("{", { "X-Request-Id": "req-1" }), 400],
    [
      "a bad token",
      () => send(VALID, { Authorization: "Bearer nope", "X-Request-Id": "req-1" }),
      401,
    ],
    [
      "the OpenAPI document",
      () => app.request("/openapi.json", { headers: { "X-Request-Id": "req-1" } }),
      200,
    ],
    [
      "an unknown route",
      () => app.request("/nowhere", { headers: { "X-Request-Id": "req-1" } }),
      404,
    ],
  ])("%s: the request id, JSON and the security headers", async (_case, answer, status) => {
    const response = await answer();
    expect(response.status).toBe(status);
    expect(response.headers.get("x-request-id")).toBe("req-1");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.fromEntries(response.headers)).toMatchObject(SECURITY_HEADERS);
    expect(response.headers.has("x-powered-by")).toBe(false);
  });

  it("a body over the limit also closes the connection", async () => {
    const response = await send(JSON.stringify({ body_text: "x".repeat(1024) }));
    expect(response.status).toBe(400);
    expect(response.headers.get("connection")).toBe("close");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  });
});

describe("headers read through the runtime's own request", () => {
  const nativeHeaders: Record<string, string> = {
    authorization: `Bearer ${TOKEN}`,
    "content-type": "application/json",
    "x-request-id": "req-native",
    "idempotency-key": "native-key",
  };
  const appReadingNative = createApp({
    ...appDeps(),
    native: {
      headers: (env) =>
        env === "native" ? (name) => nativeHeaders[name.toLowerCase()] : undefined,
    },
  });

  it("reads every header the app needs from the runtime when it offers them", async () => {
    // The Request itself carries none of them: each comes from the runtime's reader.
    const response = await appReadingNative.request(
      "/messages/interactive/send-buttons",
      { method: "POST", body: VALID },
      "native",
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe("req-native");
  });

  it("reads the Request's headers when the runtime offers no reader for it", async () => {
    const response = await appReadingNative.request(
      "/messages/interactive/send-buttons",
      {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
        body: VALID,
      },
      "other",
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).not.toBe("req-native");
  });
});
