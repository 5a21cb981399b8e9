/// <reference types="node" />
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Principal } from "@replykit/core";
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
import { HTTPException } from "hono/http-exception";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import * as z from "zod/mini";
import { type AppDeps, createApp, ErrorEnvelopeSchema, SEND_BUTTONS_PATH } from "../src/index.js";

const TOKEN = "rk_live_secret-token-of-org-a";
const OTHER_ORG_TOKEN = "rk_live_secret-token-of-org-b";
const PRINCIPALS: Record<string, Principal> = {
  [TOKEN]: { kind: "api_key", subject: "key_a", organizationId: "org_a" },
  [OTHER_ORG_TOKEN]: { kind: "api_key", subject: "key_b", organizationId: "org_b" },
};

interface World {
  readonly app: ReturnType<typeof createApp>;
  readonly channel: FakeChannel;
  readonly logger: RecordingLogger;
  readonly agents: InMemoryAgentDirectory;
}

function makeWorld(overrides: Partial<AppDeps> = {}): World {
  const clock = new ManualClock();
  const channel = new FakeChannel({ provider: "whatsapp" });
  const logger = new RecordingLogger();
  const agents = new InMemoryAgentDirectory([
    { id: "agent_a", organizationId: "org_a" },
    { id: "agent_b", organizationId: "org_b" },
  ]);
  const app = createApp({
    authenticator: new InMemoryAuthenticator(PRINCIPALS),
    agents,
    conversations: new InMemoryConversationDirectory([
      { id: "conv_a", organizationId: "org_a", channelConnectionId: "conn_1", recipient: "5511" },
      { id: "conv_b", organizationId: "org_b", channelConnectionId: "conn_1", recipient: "5522" },
      {
        id: "conv_unwired",
        organizationId: "org_a",
        channelConnectionId: "conn_missing",
        recipient: "5533",
      },
    ]),
    channels: new InMemoryChannelDirectory({ conn_1: channel }),
    idempotency: new InMemoryIdempotencyStore({ clock }),
    clock,
    logger,
    policy: { maxRetries: 0, attemptTimeoutMs: 300 },
    ...overrides,
  });
  return { app, channel, logger, agents };
}

const VALID = {
  agentId: "agent_a",
  conversationId: "conv_a",
  header_text: "Order #1234",
  body_text: "Did you receive your order?",
  footer_text: "replykit",
  button_1_id: "yes",
  button_1_title: "Yes",
  button_2_id: "no",
  button_2_title: "No",
} as const;

type Body = Record<string, unknown>;

/** Sends one request to the app under test: in process, or over a real socket. */
type Transport = (path: string, init: RequestInit) => Promise<Response>;

interface PostOptions {
  readonly body?: Body | string;
  readonly token?: string | null;
  readonly headers?: Record<string, string>;
}

const ensureReady = (value: World | undefined): World => {
  if (value === undefined) throw new Error("no world: beforeEach did not run");
  return value;
};

let world: World | undefined;
const current = () => ensureReady(world);

const inProcess: Transport = async (path, init) => current().app.request(path, init);

let server: ReturnType<typeof serve> | undefined;
let baseUrl = "";
const overSocket: Transport = (path, init) => fetch(`${baseUrl}${path}`, init);

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server = serve(
      { fetch: (request) => current().app.fetch(request), port: 0, hostname: "127.0.0.1" },
      (info: AddressInfo) => {
        baseUrl = `http://127.0.0.1:${info.port}`;
        resolve();
      },
    );
  });
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    if (server === undefined) resolve();
    else server.close(() => resolve());
  });
});

beforeEach(() => {
  world = makeWorld();
});

async function expectError(
  response: Response,
  status: number,
  type: string,
  code: string,
): Promise<ReturnType<typeof ErrorEnvelopeSchema.parse>["error"]> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const envelope = z.strictObject(ErrorEnvelopeSchema.shape).parse(JSON.parse(text));
  expect(Object.keys(envelope)).toEqual(["error"]);
  expect(envelope.error.type).toBe(type);
  expect(envelope.error.code).toBe(code);
  expect(envelope.error.message.length).toBeGreaterThan(0);
  expect(envelope.error.requestId).toBe(response.headers.get("x-request-id"));
  return envelope.error;
}

describe.each([
  ["app.request()", inProcess],
  ["a real Node server", overSocket],
] as const)("POST /messages/interactive/send-buttons through %s", (_name, transport) => {
  const post = ({ body = VALID, token = TOKEN, headers = {} }: PostOptions = {}) =>
    transport(SEND_BUTTONS_PATH, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
        ...headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const without = (...fields: string[]): Body =>
    Object.fromEntries(Object.entries(VALID).filter(([key]) => !fields.includes(key)));

  describe("200", () => {
    it("sends the message and answers the contract's success shape", async () => {
      const response = await post();
      expect(response.status).toBe(200);
      expect(response.headers.get("x-request-id")).toBeTruthy();
      const body = await response.json();
      expect(body).toEqual({
        messageId: expect.any(String),
        providerMessageId: "whatsapp-1",
        provider: "whatsapp",
        conversationId: "conv_a",
        status: "sent",
      });
      const { sends } = current().channel;
      expect(sends).toHaveLength(1);
      expect(sends[0]?.recipient).toBe("5511");
      expect(sends[0]?.message).toEqual({
        header: "Order #1234",
        body: "Did you receive your order?",
        footer: "replykit",
        buttons: [
          { id: "yes", title: "Yes" },
          { id: "no", title: "No" },
        ],
      });
    });

    it("accepts the required fields alone, and three buttons", async () => {
      const minimal = without("header_text", "footer_text", "button_2_id", "button_2_title");
      expect((await post({ body: minimal })).status).toBe(200);
      const three = { ...VALID, button_3_id: "help", button_3_title: "Talk to us" };
      expect((await post({ body: three })).status).toBe(200);
      expect(current().channel.sends[1]?.message.buttons).toHaveLength(3);
    });

    it("accepts Content-Type with a charset and a lower-case bearer scheme", async () => {
      const response = await post({
        token: null,
        headers: {
          "Content-Type": "application/json; charset=utf-8",
          Authorization: `bearer ${TOKEN}`,
        },
      });
      expect(response.status).toBe(200);
    });
  });

  describe("401", () => {
    it("refuses a request without Authorization before anything else", async () => {
      const response = await post({ token: null, body: "not json at all" });
      const error = await expectError(response, 401, "unauthorized", "missing_token");
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
      expect(error.issues).toBeUndefined();
      expect(current().channel.sends).toHaveLength(0);
    });

    it.each([
      ["Basic dXNlcjpwYXNz"],
      ["Bearer"],
      ["Bearer "],
      ["Bearer two tokens"],
      [`Token ${TOKEN}`],
    ])("refuses the malformed header %j", async (authorization) => {
      const response = await post({ token: null, headers: { Authorization: authorization } });
      await expectError(response, 401, "unauthorized", "malformed_authorization");
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    });

    it("refuses a well-formed but unknown token", async () => {
      const response = await post({ token: "rk_live_unknown" });
      await expectError(response, 401, "unauthorized", "invalid_token");
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer\b.*invalid_token/);
      expect(current().channel.sends).toHaveLength(0);
    });

    it("checks the token before the body: a bad token with a bad body is a 401", async () => {
      const response = await post({ token: "rk_live_unknown", body: without("body_text") });
      await expectError(response, 401, "unauthorized", "invalid_token");
    });

    it("checks the token before the body: a bad token with a body that is not JSON is a 401", async () => {
      const response = await post({ token: "rk_live_unknown", body: "{not json" });
      await expectError(response, 401, "unauthorized", "invalid_token");
    });
  });

  describe("400: every field rule names the field", () => {
    const cases: [string, Body | string, string, string][] = [
      ["a missing body_text", without("body_text"), "body_text", "missing_field"],
      ["a missing agentId", without("agentId"), "agentId", "missing_field"],
      ["a missing conversationId", without("conversationId"), "conversationId", "missing_field"],
      ["a missing button_1_id", without("button_1_id"), "button_1_id", "missing_field"],
      ["a missing button_1_title", without("button_1_title"), "button_1_title", "missing_field"],
      ["an unknown field", { ...VALID, priority: "high" }, "priority", "unknown_field"],
      ["a nested message object", { ...VALID, message: {} }, "message", "unknown_field"],
      [
        "button_2_id without button_2_title",
        without("button_2_title"),
        "button_2_title",
        "missing_field",
      ],
      [
        "button_2_title without button_2_id",
        without("button_2_id"),
        "button_2_id",
        "missing_field",
      ],
      [
        "button 3 without button 2",
        { ...without("button_2_id", "button_2_title"), button_3_id: "c", button_3_title: "C" },
        "button_2_id",
        "missing_field",
      ],
      ["a number for body_text", { ...VALID, body_text: 42 }, "body_text", "invalid_type"],
      ["null for agentId", { ...VALID, agentId: null }, "agentId", "invalid_type"],
      [
        "an array for button_1_title",
        { ...VALID, button_1_title: ["Yes"] },
        "button_1_title",
        "invalid_type",
      ],
      ["a boolean for header_text", { ...VALID, header_text: true }, "header_text", "invalid_type"],
      ["text that is not JSON", "{agentId: agent_a", "body", "invalid_json"],
      ["an empty body", "", "body", "invalid_json"],
      ["a JSON array", "[]", "body", "invalid_type"],
      ["a JSON string", '"hello"', "body", "invalid_type"],
      ["JSON null", "null", "body", "invalid_type"],
      [
        "a title longer than 20 characters",
        { ...VALID, button_2_title: "This title is far too long" },
        "button_2_title",
        "too_long",
      ],
      ["a blank body_text", { ...VALID, body_text: "   " }, "body_text", "empty"],
      [
        "a header longer than 60 characters",
        { ...VALID, header_text: "h".repeat(61) },
        "header_text",
        "too_long",
      ],
      ["a footer that is empty", { ...VALID, footer_text: "" }, "footer_text", "empty"],
      [
        "two buttons with one title",
        { ...VALID, button_2_title: "Yes" },
        "button_2_title",
        "duplicate_title",
      ],
      ["two buttons with one id", { ...VALID, button_2_id: "yes" }, "button_2_id", "duplicate_id"],
      [
        "an id with surrounding whitespace",
        { ...VALID, button_1_id: " yes" },
        "button_1_id",
        "surrounding_whitespace",
      ],
    ];

    it.each(cases)("rejects %s", async (_case, body, field, code) => {
      const response = await post({ body });
      const error = await expectError(response, 400, "invalid_request", code);
      expect(error.issues?.map((issue) => issue.field)).toContain(field);
      expect(error.issues?.find((issue) => issue.field === field)?.code).toBe(code);
      expect(error.message).toContain(field);
      expect(current().channel.sends).toHaveLength(0);
    });

    it("rejects button_4_* with the contract's 131009", async () => {
      const body = {
        ...VALID,
        button_3_id: "c",
        button_3_title: "C",
        button_4_id: "d",
        button_4_title: "D",
      };
      const error = await expectError(
        await post({ body }),
        400,
        "invalid_request",
        "too_many_buttons",
      );
      expect(error.providerCode).toBe(131009);
      expect(error.issues).toEqual([
        expect.objectContaining({
          field: "button_4_id",
          code: "too_many_buttons",
          providerCode: 131009,
        }),
        expect.objectContaining({
          field: "button_4_title",
          code: "too_many_buttons",
          providerCode: 131009,
        }),
      ]);
      expect(current().channel.sends).toHaveLength(0);
    });

    it("rejects a lone button_7_title with 131009 too, and lists the other problems", async () => {
      const body = { ...without("body_text"), button_7_title: "G", colour: "red" };
      const error = await expectError(
        await post({ body }),
        400,
        "invalid_request",
        "too_many_buttons",
      );
      expect(error.providerCode).toBe(131009);
      expect(error.issues?.map((issue) => [issue.field, issue.code])).toEqual([
        ["button_7_title", "too_many_buttons"],
        ["body_text", "missing_field"],
        ["colour", "unknown_field"],
      ]);
    });

    it("lists every problem of a body at once", async () => {
      const body = { ...without("button_2_title"), body_text: 1, extra: "x" };
      const error = await expectError(await post({ body }), 400, "invalid_request", "invalid_type");
      expect(error.issues?.map((issue) => issue.field).sort()).toEqual(
        ["body_text", "button_2_title", "extra"].sort(),
      );
    });

    it("rejects a Content-Type other than application/json", async () => {
      const response = await post({ headers: { "Content-Type": "text/plain" } });
      const error = await expectError(response, 400, "invalid_request", "unsupported_media_type");
      expect(error.issues?.[0]?.field).toBe("Content-Type");
    });

    it.each([
      ["application/json;"],
      ["application/json ; charset=utf-8"],
      ["application/json; charset=utf-8; foo"],
      ["application/json; charset"],
      ["application/vnd.api+json"],
    ])(
      "answers 400 unsupported_media_type naming Content-Type for %j, never a 500",
      async (contentType) => {
        const response = await post({ headers: { "Content-Type": contentType } });
        const error = await expectError(response, 400, "invalid_request", "unsupported_media_type");
        expect(error.issues?.map((issue) => issue.field)).toEqual(["Content-Type"]);
        expect(error.message).toContain("Content-Type");
        expect(current().channel.sends).toHaveLength(0);
      },
    );

    it.each([
      ["application/json;charset=utf-8"],
      ["APPLICATION/JSON; Charset=UTF-8"],
      ["application/json; charset=utf-8; format=compact"],
    ])("accepts the media type with well-formed parameters: %j", async (contentType) => {
      const response = await post({ headers: { "Content-Type": contentType } });
      expect(response.status).toBe(200);
    });

    it("rejects a body over maxBodyBytes", async () => {
      const body = { ...VALID, body_text: "x".repeat(70 * 1024) };
      const error = await expectError(
        await post({ body }),
        400,
        "invalid_request",
        "body_too_large",
      );
      expect(error.issues?.[0]?.field).toBe("body");
      expect(error.message).toMatch(/65536 bytes/);
    });

    it.each([
      ["too long", "k".repeat(256)],
      ["with a space", "two words"],
    ])("rejects an Idempotency-Key %s", async (_case, key) => {
      const response = await post({ headers: { "Idempotency-Key": key } });
      const error = await expectError(response, 400, "invalid_request", "invalid_header");
      expect(error.issues?.[0]?.field).toBe("Idempotency-Key");
      expect(error.message).toContain("Idempotency-Key");
    });

    it("maps a channel's stricter button limit to 131009 on the first button over it", async () => {
      world = makeWorld({
        channels: new InMemoryChannelDirectory({
          conn_1: new FakeChannel({ provider: "zapi", capabilities: { maxButtons: 2 } }),
        }),
      });
      const body = { ...VALID, button_3_id: "c", button_3_title: "C" };
      const error = await expectError(
        await post({ body }),
        400,
        "invalid_request",
        "too_many_buttons",
      );
      expect(error.providerCode).toBe(131009);
      expect(error.issues?.[0]?.field).toBe("button_3_id");
    });

    it("names the first button over a channel's limit, not the last one given", async () => {
      world = makeWorld({
        channels: new InMemoryChannelDirectory({
          conn_1: new FakeChannel({ provider: "zapi", capabilities: { maxButtons: 1 } }),
        }),
      });
      const body = { ...VALID, button_3_id: "c", button_3_title: "C" };
      const error = await expectError(
        await post({ body }),
        400,
        "invalid_request",
        "too_many_buttons",
      );
      expect(error.providerCode).toBe(131009);
      expect(error.issues).toEqual([
        expect.objectContaining({
          field: "button_2_id",
          code: "too_many_buttons",
          providerCode: 131009,
        }),
      ]);
      expect(error.message).toMatch(/^button_2_id\b/);
      expect(current().channel.sends).toHaveLength(0);
    });
  });

  describe("403 and 404", () => {
    it("answers 403 for an agent of another organization", async () => {
      const response = await post({ body: { ...VALID, agentId: "agent_b" } });
      await expectError(response, 403, "forbidden", "agent_forbidden");
      expect(current().channel.sends).toHaveLength(0);
    });

    it("answers 404 for an unknown agent", async () => {
      const response = await post({ body: { ...VALID, agentId: "agent_zzz" } });
      await expectError(response, 404, "not_found", "agent_not_found");
    });

    it("answers 404 for an unknown conversation", async () => {
      const response = await post({ body: { ...VALID, conversationId: "conv_zzz" } });
      await expectError(response, 404, "not_found", "conversation_not_found");
    });

    it("answers another organization's conversation exactly like an unknown one", async () => {
      const headers = { "X-Request-Id": "same-id" };
      const foreign = await post({ body: { ...VALID, conversationId: "conv_b" }, headers });
      const unknownId = await post({
        body: { ...VALID, conversationId: "conv_zzz" },
        headers,
      });
      expect(foreign.status).toBe(404);
      expect(unknownId.status).toBe(404);
      const foreignBody = (await foreign.json()) as { error: { message: string } };
      const unknownBody = (await unknownId.json()) as { error: { message: string } };
      expect(foreignBody).toEqual({
        error: {
          ...unknownBody.error,
          message: unknownBody.error.message.replace("conv_zzz", "conv_b"),
        },
      });
      expect(current().channel.sends).toHaveLength(0);
    });

    it("answers the contract's envelope for an unknown route", async () => {
      const response = await transport("/messages/nope", { method: "POST" });
      await expectError(response, 404, "not_found", "route_not_found");
    });
  });

  describe("500", () => {
    it("keeps the provider, its code and retryable for a provider rejection", async () => {
      current().channel.answerNext({
        kind: "reject",
        providerCode: 131009,
        message: "(#131009) Parameter value is not valid",
      });
      const error = await expectError(await post(), 500, "provider_error", "provider_rejected");
      expect(error).toMatchObject({ provider: "whatsapp", providerCode: 131009, retryable: false });
    });

    it("sends Retry-After when the provider is unavailable and said when to retry", async () => {
      current().channel.answerNext({
        kind: "unavailable",
        retryable: true,
        retryAfterMs: 30_000,
        providerCode: 130429,
      });
      const response = await post();
      expect(response.headers.get("retry-after")).toBe("30");
      const error = await expectError(response, 500, "provider_error", "provider_unavailable");
      expect(error).toMatchObject({ provider: "whatsapp", providerCode: 130429, retryable: true });
    });

    it("says deliveryUnknown when the provider may have delivered the message", async () => {
      current().channel.answerNext({
        kind: "unavailable",
        retryable: false,
        deliveryUnknown: true,
      });
      const error = await expectError(await post(), 500, "provider_error", "provider_unavailable");
      expect(error).toMatchObject({
        provider: "whatsapp",
        retryable: false,
        deliveryUnknown: true,
      });
    });

    it("leaves deliveryUnknown out when the provider surely did not deliver", async () => {
      current().channel.answerNext({
        kind: "unavailable",
        retryable: true,
        deliveryUnknown: false,
      });
      const error = await expectError(await post(), 500, "provider_error", "provider_unavailable");
      expect(error).not.toHaveProperty("deliveryUnknown");
      current().channel.answerNext({ kind: "reject" });
      const rejected = await expectError(await post(), 500, "provider_error", "provider_rejected");
      expect(rejected).not.toHaveProperty("deliveryUnknown");
    });

    it("answers 500 when the conversation's connection has no channel", async () => {
      const body = { ...VALID, conversationId: "conv_unwired" };
      const error = await expectError(
        await post({ body }),
        500,
        "internal_error",
        "channel_not_configured",
      );
      expect(JSON.stringify(error)).not.toContain("conn_missing");
      const logged = current().logger.entries.find(
        (entry) => entry.event === "http.channel_not_configured",
      );
      expect(logged?.fields).toMatchObject({ channelConnectionId: "conn_missing" });
    });

    it("answers internal_error without detail when a port fails, and logs it", async () => {
      world = makeWorld({
        agents: {
          findAgent: async () => {
            throw new Error("connect ECONNREFUSED db.internal:5432");
          },
        },
      });
      const response = await post();
      const error = await expectError(response, 500, "internal_error", "internal_error");
      expect(JSON.stringify(error)).not.toMatch(/ECONNREFUSED|db\.internal/);
      const logged = current().logger.entries.find(
        (entry) => entry.event === "http.unhandled_error",
      );
      expect(logged?.fields).toMatchObject({
        requestId: error.requestId,
        errorMessage: expect.stringContaining("ECONNREFUSED"),
      });
    });
  });

  describe("idempotency", () => {
    it("sends once for a repeated key and answers the first result again", async () => {
      const headers = { "Idempotency-Key": "order-1234" };
      const first = await post({ headers });
      const second = await post({ headers });
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(await second.text()).toBe(await first.text());
      expect(current().channel.sends).toHaveLength(1);
    });

    it("answers 422 for a key reused with another body", async () => {
      const headers = { "Idempotency-Key": "order-1234" };
      expect((await post({ headers })).status).toBe(200);
      const reused = await post({ headers, body: { ...VALID, body_text: "Something else" } });
      await expectError(reused, 422, "conflict", "idempotency_key_reused");
      expect(current().channel.sends).toHaveLength(1);
    });

    it("answers 409 while the first request with the key is still running", async () => {
      current().channel.answerNext({ kind: "hang" });
      const headers = { "Idempotency-Key": "slow-1" };
      const first = post({ headers });
      await expect.poll(() => current().channel.sends.length).toBe(1);
      const second = await post({ headers });
      await expectError(second, 409, "conflict", "idempotency_key_in_progress");
      expect((await first).status).toBe(500);
      expect(current().channel.sends).toHaveLength(1);
    });

    it("answers 409 idempotency_outcome_unknown after a first request that may have delivered", async () => {
      const headers = { "Idempotency-Key": "maybe-sent-1" };
      current().channel.answerNext({
        kind: "unavailable",
        retryable: false,
        deliveryUnknown: true,
      });
      const first = await expectError(
        await post({ headers }),
        500,
        "provider_error",
        "provider_unavailable",
      );
      expect(first.deliveryUnknown).toBe(true);
      const repeat = await expectError(
        await post({ headers }),
        409,
        "conflict",
        "idempotency_outcome_unknown",
      );
      // The client must find out before sending again, and then under a new key.
      expect(repeat.message).toMatch(/check/i);
      expect(repeat.message).toMatch(/new key/i);
      expect(current().channel.sends).toHaveLength(1);
    });
  });

  describe("request id", () => {
    it("reuses a sane X-Request-Id everywhere: header, error body, logs, the use case", async () => {
      const headers = { "X-Request-Id": "req-abc.123:x_y" };
      const ok = await post({ headers });
      expect(ok.headers.get("x-request-id")).toBe("req-abc.123:x_y");
      expect(current().channel.sends[0]?.context.requestId).toBe("req-abc.123:x_y");
      const failed = await post({ headers, body: without("agentId") });
      const error = await expectError(failed, 400, "invalid_request", "missing_field");
      expect(error.requestId).toBe("req-abc.123:x_y");
      const requestLines = current().logger.entries.filter(
        (entry) => entry.event === "http.request",
      );
      expect(requestLines).toHaveLength(2);
      for (const line of requestLines) expect(line.fields.requestId).toBe("req-abc.123:x_y");
    });

    it.each([
      ["with spaces", "not a sane id"],
      ["too long", "a".repeat(129)],
      ["with a quote", 'id"injected'],
    ])("replaces an X-Request-Id %s with a fresh one", async (_case, incoming) => {
      const response = await post({ headers: { "X-Request-Id": incoming } });
      const id = response.headers.get("x-request-id");
      expect(id).not.toBe(incoming);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it("puts a request id on every kind of answer", async () => {
      const answers = [
        await post(),
        await post({ token: null }),
        await post({ body: "{" }),
        await post({ body: { ...VALID, agentId: "agent_b" } }),
        await transport("/openapi.json", { method: "GET" }),
        await transport("/nowhere", { method: "GET" }),
      ];
      for (const answer of answers) expect(answer.headers.get("x-request-id")).toBeTruthy();
    });
  });

  describe("logs", () => {
    it("never contain the token or the Authorization header", async () => {
      await post();
      await post({ token: "rk_live_wrong-token" });
      await post({ body: { ...VALID, agentId: "agent_b" } });
      current().channel.answerNext({ kind: "reject" });
      await post();
      const logged = JSON.stringify(current().logger.entries);
      expect(logged).not.toContain(TOKEN);
      expect(logged).not.toContain("rk_live_wrong-token");
      expect(logged.toLowerCase()).not.toContain("bearer");
      const request = current().logger.entries.find((entry) => entry.event === "http.request");
      expect(request?.fields).toEqual({
        requestId: expect.any(String),
        method: "POST",
        path: SEND_BUTTONS_PATH,
        status: 200,
        durationMs: expect.any(Number),
        // The sent message's, on the same line: one line per request.
        provider: "whatsapp",
        agentId: VALID.agentId,
        conversationId: VALID.conversationId,
        messageId: expect.any(String),
        providerMessageId: expect.any(String),
      });
    });
  });
});

describe("the body limit", () => {
  it("counts the bytes that arrive when there is no Content-Length", async () => {
    const app = makeWorld({ maxBodyBytes: 1024 }).app;
    const chunk = new TextEncoder().encode(
      JSON.stringify({ ...VALID, body_text: "x".repeat(2000) }),
    );
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await app.request(SEND_BUTTONS_PATH, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "body_too_large" } });
  });

  it("refuses a maxBodyBytes that is not a positive integer", () => {
    expect(() => makeWorld({ maxBodyBytes: 0 })).toThrow(/maxBodyBytes/);
    expect(() => makeWorld({ maxBodyBytes: Number.NaN })).toThrow(/maxBodyBytes/);
  });

  it("takes its limit from maxBodyBytes", async () => {
    const app = makeWorld({ maxBodyBytes: 100 }).app;
    const response = await app.request(SEND_BUTTONS_PATH, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify(VALID),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "body_too_large" } });
  });
});

describe("the request body", () => {
  it("is read once and parsed once", async () => {
    const { app } = makeWorld();
    const text = JSON.stringify(VALID);
    const parse = vi.spyOn(JSON, "parse");
    const rereads = [
      vi.spyOn(Request.prototype, "text"),
      vi.spyOn(Request.prototype, "json"),
      vi.spyOn(Request.prototype, "arrayBuffer"),
    ];
    try {
      const response = await app.request(SEND_BUTTONS_PATH, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${TOKEN}` },
        body: text,
      });
      expect(response.status).toBe(200);
      expect(parse.mock.calls.filter(([parsed]) => parsed === text)).toHaveLength(1);
      for (const reread of rereads) expect(reread).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
      for (const reread of rereads) reread.mockRestore();
    }
  });
});

describe("errors thrown as HTTPException", () => {
  it.each([
    [400, 400, "invalid_request", "invalid_request"],
    [413, 400, "invalid_request", "body_too_large"],
    [415, 400, "invalid_request", "unsupported_media_type"],
    [418, 400, "invalid_request", "invalid_request"],
    [401, 401, "unauthorized", "invalid_token"],
    [403, 403, "forbidden", "forbidden"],
    [404, 404, "not_found", "route_not_found"],
    [409, 409, "conflict", "conflict"],
    [422, 422, "conflict", "conflict"],
  ] as const)(
    "maps an HTTPException %i to a %i %s envelope, never a 500",
    async (thrown, status, type, code) => {
      const { app } = makeWorld();
      // As a middleware of the stack (hono's own, or one added later) would throw it.
      app.post("/throws", () => {
        throw new HTTPException(thrown, { message: "Unsupported Media Type" });
      });
      const response = await app.request("/throws", { method: "POST" });
      const error = await expectError(response, status, type, code);
      if (status === 400) {
        expect(error.issues?.length).toBeGreaterThan(0);
        for (const issue of error.issues ?? []) expect(error.message).toContain(issue.field);
      }
    },
  );

  it("still answers 500 internal_error for an HTTPException of 500 or more, and logs it", async () => {
    const world = makeWorld();
    world.app.post("/throws", () => {
      throw new HTTPException(503, { message: "upstream down" });
    });
    const response = await world.app.request("/throws", { method: "POST" });
    await expectError(response, 500, "internal_error", "internal_error");
    expect(world.logger.entries.map((entry) => entry.event)).toContain("http.unhandled_error");
  });
});

describe("GET /openapi.json", () => {
  interface Document {
    openapi: string;
    info: { title: string };
    paths: Record<
      string,
      Record<
        string,
        { security?: unknown; responses: Record<string, unknown>; parameters?: { name: string }[] }
      >
    >;
    components: {
      schemas: Record<
        string,
        {
          additionalProperties?: unknown;
          required?: string[];
          properties?: Record<string, unknown>;
        }
      >;
      securitySchemes: Record<string, { type: string; scheme: string }>;
    };
  }

  it("serves an OpenAPI 3.1 document generated from the request and error schemas", async () => {
    const response = await current().app.request("/openapi.json");
    expect(response.status).toBe(200);
    const document = (await response.json()) as Document;
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info.title).toBe("replykit");
    const operation = document.paths[SEND_BUTTONS_PATH]?.post;
    expect(operation).toBeDefined();
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(
      ["200", "400", "401", "403", "404", "409", "422", "429", "500", "503"].sort(),
    );
    expect(operation?.security).toEqual([{ bearerAuth: [] }]);
    expect(operation?.parameters?.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(["Idempotency-Key", "X-Request-Id"]),
    );
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({
      type: "http",
      scheme: "bearer",
    });
    const request = document.components.schemas.SendButtonsRequest;
    expect(request?.additionalProperties).toBe(false);
    expect(request?.required?.sort()).toEqual(
      ["agentId", "conversationId", "body_text", "button_1_id", "button_1_title"].sort(),
    );
    expect(Object.keys(request?.properties ?? {}).sort()).toEqual(
      [
        "agentId",
        "conversationId",
        "header_text",
        "body_text",
        "footer_text",
        "button_1_id",
        "button_1_title",
        "button_2_id",
        "button_2_title",
        "button_3_id",
        "button_3_title",
      ].sort(),
    );
    expect(document.components.schemas.ErrorEnvelope).toBeDefined();
    expect(document.components.schemas.SendButtonsResponse).toBeDefined();
  });

  it("documents the request body, idempotency_outcome_unknown and deliveryUnknown", async () => {
    const response = await current().app.request("/openapi.json");
    const document = (await response.json()) as Document;
    const operation = document.paths[SEND_BUTTONS_PATH]?.post as unknown as {
      requestBody?: { required?: boolean; content: Record<string, { schema: { $ref?: string } }> };
      responses: Record<string, { description: string }>;
    };
    expect(operation.requestBody?.required).toBe(true);
    expect(operation.requestBody?.content["application/json"]?.schema.$ref).toBe(
      "#/components/schemas/SendButtonsRequest",
    );
    expect(operation.responses["409"]?.description).toContain("idempotency_outcome_unknown");
    const envelope = document.components.schemas.ErrorEnvelope as unknown as {
      properties: { error: { properties: Record<string, unknown> } };
    };
    expect(envelope.properties.error.properties).toHaveProperty("deliveryUnknown");
  });
});
