import { isProviderError, ProviderRejected, ProviderUnavailable } from "@replykit/core";
import { type JsonAnswer, redactor } from "@replykit/http-transport";
import {
  jsonAnswer as answer,
  buttonMessage,
  sendContext as context,
  failureOf,
  renderings as rendered,
} from "@replykit/http-transport/testing";
import { startZapperSimulator, type ZapperSimulator } from "@replykit/provider-simulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readAnswer } from "../src/answer.js";
import { createZapperChannel } from "../src/index.js";
import { channelFor, RECIPIENT } from "./simulated-channel.js";

const API_KEY = "zk_live_0123456789abcdef";
const INSTANCE_ID = "inst_secretinstance0042";
const redact = redactor([API_KEY, INSTANCE_ID]);

function errorOf(reply: JsonAnswer) {
  const outcome = readAnswer(reply, redact);
  if (!isProviderError(outcome)) throw new Error("expected an error outcome");
  return outcome;
}

const fastify = (statusCode: number, error: string, message: string, code?: string) => ({
  statusCode,
  ...(code === undefined ? {} : { code }),
  error,
  message,
});

describe("a successful answer", () => {
  it("gives the message id found at key.id", () => {
    const outcome = readAnswer(
      answer(200, {
        key: { remoteJid: "5511999999999@s.whatsapp.net", fromMe: true, id: "3EB0C0FFEE12" },
        status: "PENDING",
      }),
      redact,
    );
    expect(outcome).toEqual({ providerMessageId: "3EB0C0FFEE12" });
  });

  it("accepts any 2xx status with that body", () => {
    expect(readAnswer(answer(201, { key: { id: "3EB0AB" } }), redact)).toEqual({
      providerMessageId: "3EB0AB",
    });
  });

  it.each([
    ["no body", undefined],
    ["an empty object", {}],
    ["something else", { something: "else" }],
    ["a top-level id", { id: "3EB0AB" }],
    ["a messageId", { messageId: "3EB0AB" }],
    ["an empty key.id", { key: { id: "" } }],
    ["a numeric key.id", { key: { id: 42 } }],
    ["a key that is a string", { key: "3EB0AB" }],
    ["an array", [{ key: { id: "3EB0AB" } }]],
    ["a string", "ok"],
  ])("with %s is a non-retryable ProviderUnavailable saying the shape is unexpected", (_, body) => {
    const error = errorOf(answer(200, body));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error.retryable).toBe(false);
    expect(error.httpStatus).toBe(200);
    expect(error.provider).toBe("zapper");
    expect(error.message).toMatch(/unexpected shape/);
    expect(error.message).toMatch(/may or may not have been sent/);
  });

  it("of unexpected shape says delivery is unknown: ZapperAPI may well have sent it", () => {
    expect(errorOf(answer(200, { id: "3EB0AB" }))).toMatchObject({ deliveryUnknown: true });
  });
});

describe("an error answer", () => {
  it("maps a 400 validation error to ProviderRejected keeping ZapperAPI's code and message", () => {
    const error = errorOf(
      answer(
        400,
        fastify(
          400,
          "Bad Request",
          "body/buttons/0 must have required property 'id'",
          "FST_ERR_VALIDATION",
        ),
      ),
    );
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({
      _tag: "ProviderRejected",
      provider: "zapper",
      providerCode: "FST_ERR_VALIDATION",
      httpStatus: 400,
      retryable: false,
    });
    expect(error.message).toBe(
      "ZapperAPI rejected the message as invalid (HTTP 400): body/buttons/0 must have required property 'id'",
    );
  });

  it("maps a 422 with only a message to ProviderRejected whose code is the status", () => {
    const error = errorOf(answer(422, { message: "jid is not a WhatsApp number" }));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: 422, httpStatus: 422, retryable: false });
    expect(error.message).toContain("jid is not a WhatsApp number");
  });

  it.each([401, 403])("maps a %i bad API key to ProviderRejected", (status) => {
    const error = errorOf(answer(status, fastify(status, "Unauthorized", "Invalid API key")));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: status, httpStatus: status, retryable: false });
    expect(error.message).toBe(
      `ZapperAPI refused the API key for this instance (HTTP ${status}): Invalid API key`,
    );
  });

  it("maps a 404 unknown instance to ProviderRejected", () => {
    const error = errorOf(answer(404, fastify(404, "Not Found", "Instance not found")));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: 404, httpStatus: 404, retryable: false });
    expect(error.message).toBe(
      "ZapperAPI does not know this instance (HTTP 404): Instance not found",
    );
  });

  it("reads the { message } envelope, the only error body the openapi shows", () => {
    const error = errorOf(answer(409, { message: "Job is active" }));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error.message).toBe("ZapperAPI answered HTTP 409: Job is active");
  });

  it("maps a 429 to a retryable ProviderUnavailable honouring Retry-After", () => {
    const error = errorOf(answer(429, fastify(429, "Too Many Requests", "Slow down"), 7000));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({
      providerCode: 429,
      httpStatus: 429,
      retryable: true,
      retryAfterMs: 7000,
    });
    expect(error.message).toBe("ZapperAPI is rate limiting this instance (HTTP 429): Slow down");
  });

  it("maps a 429 without Retry-After to a retryable ProviderUnavailable with no delay", () => {
    const error = errorOf(answer(429, undefined));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error.retryable).toBe(true);
    expect((error as ProviderUnavailable).retryAfterMs).toBeUndefined();
  });

  it.each([500, 502, 503, 504])("maps a %i to a retryable ProviderUnavailable", (status) => {
    const error = errorOf(answer(status, fastify(status, "Server Error", "boom"), 2000));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({
      providerCode: status,
      httpStatus: status,
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(error.message).toBe(`ZapperAPI failed to send the message (HTTP ${status}): boom`);
  });

  it.each([500, 502, 503, 504])(
    "says delivery is unknown for a %i: ZapperAPI may have failed after sending",
    (status) => {
      expect(errorOf(answer(status, fastify(status, "Server Error", "boom")))).toMatchObject({
        deliveryUnknown: true,
      });
    },
  );

  it.each([408, 429, 400, 401, 404, 422])(
    "does not say delivery is unknown for a %i: nothing was sent",
    (status) => {
      expect(errorOf(answer(status, undefined))).not.toHaveProperty("deliveryUnknown");
    },
  );

  it("maps a 408 to a retryable ProviderUnavailable", () => {
    const error = errorOf(answer(408, undefined));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error.retryable).toBe(true);
  });

  it.each([405, 409, 413, 415])("maps an undocumented %i to ProviderRejected", (status) => {
    const error = errorOf(answer(status, undefined));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: status, httpStatus: status });
    expect(error.message).toBe(`ZapperAPI answered HTTP ${status}`);
  });

  it.each([
    ["no body", undefined],
    ["an array", ["Bad Request"]],
    ["a numeric message", { message: 42, code: 7 }],
    ["a blank message", { message: "   " }],
    ["null", null],
  ])("maps a 400 with %s by its status alone, without crashing", (_, body) => {
    const error = errorOf(answer(400, body));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: 400, httpStatus: 400 });
    expect(error.message).toBe("ZapperAPI rejected the message as invalid (HTTP 400)");
  });

  it("falls back to Fastify's error phrase when there is no message", () => {
    const error = errorOf(answer(401, { statusCode: 401, error: "Unauthorized" }));
    expect(error.message).toBe(
      "ZapperAPI refused the API key for this instance (HTTP 401): Unauthorized",
    );
  });

  it("keeps a plain JSON string body as the provider's text", () => {
    expect(errorOf(answer(403, "Forbidden")).message).toMatch(/: Forbidden$/);
  });

  it("cuts a long provider message to 300 characters without splitting an emoji", () => {
    const long = `${"👍".repeat(299)}a${"x".repeat(500)}`;
    const error = errorOf(answer(400, { message: long }));
    const said = error.message.split("(HTTP 400): ")[1] ?? "";
    expect(Array.from(said)).toHaveLength(301);
    expect(said.endsWith("a…")).toBe(true);
    expect(said.startsWith("👍")).toBe(true);
  });

  it("puts ZapperAPI's multi-line text on one line", () => {
    expect(errorOf(answer(400, { message: "line one\n  line two" })).message).toMatch(
      /: line one line two$/,
    );
  });
});

describe("credentials in errors", () => {
  const echoing = [
    answer(404, fastify(404, "Not Found", `Route POST:/${INSTANCE_ID}/messages/buttons not found`)),
    answer(401, fastify(401, "Unauthorized", `API key ${API_KEY} is not valid`, `BAD_${API_KEY}`)),
    answer(400, { message: `instance ${encodeURIComponent(INSTANCE_ID)} key=${API_KEY}` }),
    answer(503, { message: `upstream ${INSTANCE_ID} down`, code: INSTANCE_ID }, 1000),
    answer(429, `${API_KEY}`),
    answer(200, { echoed: API_KEY }),
  ];

  it.each(echoing.map((reply) => [reply.status, reply] as const))(
    "never appear in the error for a %i answer that echoes them",
    (_, reply) => {
      const error = errorOf(reply);
      expect(isProviderError(error)).toBe(true);
      const text = rendered(error);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toContain(INSTANCE_ID);
    },
  );

  it("are blanked as [REDACTED] so the rest of the text stays readable", () => {
    const error = errorOf(echoing[0] as JsonAnswer);
    expect(error.message).toBe(
      "ZapperAPI does not know this instance (HTTP 404): Route POST:/[REDACTED]/messages/buttons not found",
    );
  });

  it("never appear in an unreachable-network error", async () => {
    const channel = createZapperChannel({
      instanceId: INSTANCE_ID,
      apiKey: API_KEY,
      baseUrl: "http://127.0.0.1:9",
      transport: async (request) => {
        throw new TypeError(`fetch failed for ${request.url} with ${API_KEY}`);
      },
    });
    const error = await failureOf(
      channel.send(
        RECIPIENT,
        buttonMessage({ body: "x", buttons: [{ id: "a", title: "A" }] }),
        context(),
      ),
    );
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect((error as ProviderUnavailable).retryable).toBe(true);
    const text = rendered(error);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(INSTANCE_ID);
  });
});

describe("answers of the ZapperAPI simulator", () => {
  let simulator: ZapperSimulator;
  beforeAll(async () => {
    simulator = await startZapperSimulator();
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const message = buttonMessage({ body: "Pick", buttons: [{ id: "a", title: "A" }] });
  const sendWith = (options: Parameters<typeof channelFor>[1], recipient = RECIPIENT) =>
    failureOf(channelFor(simulator, options).send(recipient, message, context()));

  it("a wrong API key is a ProviderRejected 401 that does not quote the key", async () => {
    const error = await sendWith({ apiKey: "wrong-key-value" });
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ httpStatus: 401, providerCode: 401 });
    expect(rendered(error)).not.toContain("wrong-key-value");
  });

  it("an unknown instance is a ProviderRejected 404 that does not quote the instance", async () => {
    const error = await sendWith({ instanceId: "inst_nosuchinstance000000" });
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ httpStatus: 404, providerCode: 404 });
    expect(rendered(error)).not.toContain("inst_nosuchinstance000000");
  });

  it("an empty recipient is ZapperAPI's own validation error, code and message kept", async () => {
    const error = await sendWith({}, "");
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ httpStatus: 400, providerCode: "FST_ERR_VALIDATION" });
    expect((error as ProviderRejected).message).toMatch(/body\/jid/);
  });

  it("a rate limit carries the simulator's Retry-After", async () => {
    simulator.failNext({ retryAfterSeconds: 12 });
    const error = await sendWith({});
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ httpStatus: 429, retryable: true, retryAfterMs: 12_000 });
  });

  it("a slow answer past timeoutMs is a retryable ProviderUnavailable", async () => {
    simulator.failNext({ latencyMs: 500 });
    const error = await sendWith({ timeoutMs: 50 });
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: true, deliveryUnknown: true });
    expect((error as Error).message).toMatch(/did not answer within 50 ms/);
  });
});
