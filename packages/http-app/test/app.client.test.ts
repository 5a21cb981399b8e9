import {
  FakeChannel,
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  ManualClock,
  RecordingLogger,
} from "@replykit/core/testing";
import { hc } from "hono/client";
import { describe, expect, expectTypeOf, it } from "vitest";
import { type AppType, createApp } from "../src/index.js";

function makeApp() {
  const channel = new FakeChannel({ provider: "whatsapp" });
  const app = createApp({
    authenticator: new InMemoryAuthenticator({
      "secret-token": { kind: "api_key", subject: "key_a", organizationId: "org_a" },
    }),
    agents: new InMemoryAgentDirectory([{ id: "agent_a", organizationId: "org_a" }]),
    conversations: new InMemoryConversationDirectory([
      { id: "conv_a", organizationId: "org_a", channelConnectionId: "conn_1", recipient: "5511" },
    ]),
    channels: new InMemoryChannelDirectory({ conn_1: channel }),
    clock: new ManualClock(),
    logger: new RecordingLogger(),
  });
  return { app, channel };
}

describe("the typed client (hono/client hc<AppType>)", () => {
  const { app, channel } = makeApp();
  const client = hc<AppType>("http://replykit.test", {
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => app.request(input, init),
    headers: { Authorization: "Bearer secret-token" },
  });
  const endpoint = client.messages.interactive["send-buttons"];

  it("sends with typed input and reads a typed success", async () => {
    const response = await endpoint.$post({
      json: {
        agentId: "agent_a",
        conversationId: "conv_a",
        body_text: "Did it arrive?",
        button_1_id: "yes",
        button_1_title: "Yes",
        button_2_id: "no",
        button_2_title: "No",
      },
      header: { "Idempotency-Key": "typed-1" },
    });
    expect(response.status).toBe(200);
    if (response.status !== 200) throw new Error("expected a 200");
    const sent = await response.json();
    expectTypeOf(sent.status).toEqualTypeOf<"sent">();
    expectTypeOf(sent.providerMessageId).toEqualTypeOf<string>();
    expect(sent).toMatchObject({ status: "sent", provider: "whatsapp", conversationId: "conv_a" });
    expect(channel.sends).toHaveLength(1);
  });

  it("reads a typed error envelope", async () => {
    const response = await endpoint.$post({
      json: {
        agentId: "agent_zzz",
        conversationId: "conv_a",
        body_text: "Hi",
        button_1_id: "yes",
        button_1_title: "Yes",
      },
      header: {},
    });
    expect(response.status).toBe(404);
    if (response.status !== 404) throw new Error("expected a 404");
    const { error } = await response.json();
    expectTypeOf(error.code).toEqualTypeOf<string>();
    expectTypeOf(error.type).toEqualTypeOf<
      | "invalid_request"
      | "unauthorized"
      | "forbidden"
      | "not_found"
      | "conflict"
      | "provider_error"
      | "internal_error"
      | "rate_limited"
      | "unavailable"
    >();
    expect(error.code).toBe("agent_not_found");
  });

  it("rejects, at compile time, a body the contract does not allow", () => {
    // Type-level only: these calls are never made.
    const compileOnly = () => {
      void endpoint.$post({
        // @ts-expect-error body_text is required
        json: { agentId: "a", conversationId: "c", button_1_id: "x", button_1_title: "X" },
        header: {},
      });
      void endpoint.$post({
        json: {
          // @ts-expect-error every field is a string
          agentId: 1,
          conversationId: "c",
          body_text: "b",
          button_1_id: "x",
          button_1_title: "X",
        },
        header: {},
      });
    };
    expect(typeof compileOnly).toBe("function");
  });
});
