import {
  isProviderError,
  type ProviderError,
  ProviderRejected,
  ProviderUnavailable,
  type SendReceipt,
} from "@replykit/core";
import { redactor } from "@replykit/http-transport";
import {
  jsonAnswer as answer,
  sendContext as context,
  failureOf as failure,
  buttonMessage as message,
} from "@replykit/http-transport/testing";
import { startZapiSimulator, type ZapiSimulator } from "@replykit/provider-simulator";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createZapiChannel, readAnswer } from "../src/index.js";
import { simulatorOptions } from "./support.js";

const SECRETS = ["inst-token-5f3a9c", "client-token-77be21", "instance-3C01A"];

const read = (status: number, body?: unknown, retryAfterMs?: number) =>
  readAnswer(answer(status, body, retryAfterMs), redactor(SECRETS));

function errorOf(outcome: SendReceipt | ProviderError): ProviderError {
  if (!isProviderError(outcome))
    throw new Error(`expected an error, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function expectNoSecret(error: unknown, secrets: readonly string[] = SECRETS): void {
  const rendered = [
    String(error),
    JSON.stringify(error),
    (error as Error).message,
    (error as Error).stack ?? "",
  ].join("\n");
  for (const secret of secrets) {
    expect(rendered).not.toContain(secret);
    expect(rendered).not.toContain(encodeURIComponent(secret));
  }
}

describe("a successful answer", () => {
  it("returns messageId as the provider message id", () => {
    expect(read(200, { zaapId: "Z1", messageId: "D241XX", id: "D241XX" })).toEqual({
      providerMessageId: "D241XX",
    });
  });

  it("accepts the older documented body without id", () => {
    expect(read(200, { zaapId: "Z1", messageId: "D241XX" })).toEqual({
      providerMessageId: "D241XX",
    });
  });

  it("prefers messageId when id differs, and falls back to id when messageId is missing", () => {
    expect(read(200, { zaapId: "Z", messageId: "M", id: "I" })).toEqual({ providerMessageId: "M" });
    expect(read(200, { zaapId: "Z", id: "I" })).toEqual({ providerMessageId: "I" });
  });

  it.each([
    ["an unrelated object", { something: "else" }],
    ["no body", undefined],
    ["a non-JSON body", undefined],
    ["a numeric messageId", { zaapId: "Z", messageId: 42 }],
    ["an empty messageId and no id", { zaapId: "Z", messageId: "" }],
    ["only zaapId", { zaapId: "Z" }],
    ["an error body with status 200", { error: "You are not connected." }],
    ["an array", [{ messageId: "M" }]],
  ])("with %s is a non-retryable 'unexpected shape' ProviderUnavailable", (_, body) => {
    const error = errorOf(read(200, body));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ provider: "zapi", httpStatus: 200, retryable: false });
    expect(error.message).toMatch(/unexpected shape/);
  });

  it("of unexpected shape says delivery is unknown: Z-API may well have sent it", () => {
    expect(errorOf(read(200, { zaapId: "Z" }))).toMatchObject({ deliveryUnknown: true });
  });
});

describe("Z-API's error answers", () => {
  it("maps a 400 naming the problem to a ProviderRejected keeping Z-API's text, code = HTTP status", () => {
    const error = errorOf(read(400, { error: "Bad Request", message: "phone is required" }));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({
      provider: "zapi",
      providerCode: 400,
      httpStatus: 400,
      retryable: false,
    });
    expect(error.message).toContain("Bad Request: phone is required");
  });

  it("keeps a code string from the body as the provider code", () => {
    const error = errorOf(read(400, { error: "Invalid phone", code: "INVALID_PHONE" }));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error.providerCode).toBe("INVALID_PHONE");
    expect(error.message).toContain("Invalid phone");
  });

  it("keeps a numeric code from the body, and ignores a prose 'code'", () => {
    expect(errorOf(read(400, { error: "x", code: 1001 })).providerCode).toBe(1001);
    expect(errorOf(read(400, { error: "x", code: "this is not a code" })).providerCode).toBe(400);
  });

  it.each([
    ["the documented missing-token answer", { error: "null not allowed" }],
    ["the unconfigured-token answer", { error: "your client-token is not configured" }],
  ])("maps %s (400) to a ProviderRejected pointing at clientToken", (_, body) => {
    const error = errorOf(read(400, body));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: 400, httpStatus: 400 });
    expect(error.message).toMatch(/clientToken/);
  });

  it.each([401, 403])(
    "maps %i (bad Client-Token) to a ProviderRejected pointing at clientToken",
    (status) => {
      const error = errorOf(read(status, { error: "Unauthorized" }));
      expect(error).toBeInstanceOf(ProviderRejected);
      expect(error).toMatchObject({ providerCode: status, httpStatus: status, retryable: false });
      expect(error.message).toMatch(/clientToken/);
    },
  );

  it("redacts a Client-Token that Z-API echoes back in its error", () => {
    const error = errorOf(read(403, { error: "Client-Token client-token-77be21 not allowed" }));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error.message).toContain("Client-Token [REDACTED] not allowed");
    expectNoSecret(error);
  });

  it("redacts a URL with the instance token quoted by Z-API, raw or URL-encoded", () => {
    const secrets = ["tok/en?x"];
    const error = errorOf(
      readAnswer(
        answer(400, {
          error: "Bad Request",
          message: "bad path /token/tok%2Fen%3Fx/send and tok/en?x",
        }),
        redactor(secrets),
      ),
    );
    expect(error.message).toContain("/token/[REDACTED]/send and [REDACTED]");
    expectNoSecret(error, secrets);
  });

  it.each([
    [404, { error: "Instance not found" }],
    [400, { error: "Instance not found" }],
    [404, { error: "Not Found" }],
    [404, undefined],
  ])(
    "maps %i %j (unknown instance) to a ProviderRejected pointing at the instance credentials",
    (status, body) => {
      const error = errorOf(read(status, body));
      expect(error).toBeInstanceOf(ProviderRejected);
      expect(error).toMatchObject({ providerCode: status, httpStatus: status });
      expect(error.message).toMatch(/instanceId, instanceToken and baseUrl/);
    },
  );

  it.each(["You are not connected.", "You need to restore the session.", "Instance disconnected"])(
    "maps a disconnected instance (400 %j) to a non-retryable ProviderUnavailable",
    (text) => {
      const error = errorOf(read(400, { error: text }));
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect(error).toMatchObject({
        provider: "zapi",
        providerCode: 400,
        httpStatus: 400,
        retryable: false,
      });
      expect(error.message).toContain(text);
      expect(error.message).toMatch(/reconnect it in the Z-API panel/);
    },
  );

  it.each([405, 415])("maps %i to a ProviderRejected that calls it an adapter bug", (status) => {
    const error = errorOf(read(status, { error: "Method Not Allowed" }));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: status, httpStatus: status, retryable: false });
    expect(error.message).toMatch(/bug in @replykit\/adapters-zapi/);
  });

  it("maps 429 to a retryable ProviderUnavailable honouring Retry-After", () => {
    const error = errorOf(read(429, { error: "Too Many Requests" }, 7000));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({
      providerCode: 429,
      httpStatus: 429,
      retryable: true,
      retryAfterMs: 7000,
    });
  });

  it("maps 429 without Retry-After to a retryable ProviderUnavailable with no wait", () => {
    const error = errorOf(read(429, undefined));
    expect(error).toMatchObject({ retryable: true, httpStatus: 429 });
    expect((error as ProviderUnavailable).retryAfterMs).toBeUndefined();
  });

  it.each([408, 500, 502, 503, 504])("maps %i to a retryable ProviderUnavailable", (status) => {
    const error = errorOf(read(status, { error: "Internal Server Error" }, 2000));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({
      providerCode: status,
      httpStatus: status,
      retryable: true,
      retryAfterMs: 2000,
    });
  });

  it.each([500, 502, 503, 504])(
    "says delivery is unknown for %i: Z-API may have failed after sending",
    (status) => {
      expect(errorOf(read(status, { error: "Internal Server Error" }))).toMatchObject({
        deliveryUnknown: true,
      });
    },
  );

  it.each([408, 429])("does not say delivery is unknown for %i", (status) => {
    expect(errorOf(read(status, { error: "Too Many Requests" }))).not.toHaveProperty(
      "deliveryUnknown",
    );
  });

  it.each([
    [400, { error: "Bad Request", message: "phone is required" }],
    [403, { error: "Unauthorized" }],
    [404, { error: "Instance not found" }],
    [400, { error: "You are not connected." }],
    [405, { error: "Method Not Allowed" }],
  ])("does not say delivery is unknown for %i %j: nothing was sent", (status, body) => {
    expect(errorOf(read(status, body))).not.toHaveProperty("deliveryUnknown");
  });

  it("keeps a 5xx retryable even when its text says the instance is not connected", () => {
    const error = errorOf(read(503, { error: "You are not connected." }));
    expect(error).toMatchObject({ retryable: true, httpStatus: 503 });
  });

  it("reads a non-JSON error body as the HTTP status alone", () => {
    const error = errorOf(read(502, undefined));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error.message).toBe("Z-API did not send the message (HTTP 502)");
  });

  it("ignores error fields of the wrong type instead of failing", () => {
    const error = errorOf(read(400, { error: { nested: true }, message: "phone is required" }));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error.message).toContain("phone is required");
  });

  it("truncates Z-API's text and flattens its control characters", () => {
    const error = errorOf(read(400, { error: `line one\nline\ttwo ${"x".repeat(1000)}` }));
    expect(error.message).toContain("line one line two");
    expect(error.message).not.toMatch(/[\n\t]/);
    expect(error.message.length).toBeLessThan(420);
    expect(error.message).toContain("…");
  });

  it("maps a 3xx to a ProviderRejected", () => {
    expect(errorOf(read(302, undefined))).toBeInstanceOf(ProviderRejected);
  });
});

describe("errors from the Z-API simulator", () => {
  let simulator: ZapiSimulator;
  const hello = message({ body: "Hello", buttons: [{ id: "a", title: "A" }] });
  const secretsOf = (sim: ZapiSimulator) => [
    sim.credentials.token,
    sim.credentials.clientToken,
    sim.credentials.instanceId,
  ];

  beforeAll(async () => {
    simulator = await startZapiSimulator();
  });
  afterAll(() => simulator.close());
  afterEach(() => simulator.reset());

  it("a wrong Client-Token is a ProviderRejected that never shows the token Z-API echoes", async () => {
    const wrong = "wrong-client-token-0b1c";
    const channel = createZapiChannel({ ...simulatorOptions(simulator), clientToken: wrong });
    const error = await failure(channel.send("5511999999999", hello, context()));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ httpStatus: 403, providerCode: 403 });
    // The simulator, like Z-API, quotes the token it got: it must not reach us.
    const recorded = simulator.received[0]?.response;
    expect(JSON.stringify(recorded)).toContain(wrong);
    expectNoSecret(error, [wrong, ...secretsOf(simulator)]);
  });

  it("a wrong instance token is a ProviderRejected naming the instance credentials", async () => {
    const channel = createZapiChannel({
      ...simulatorOptions(simulator),
      instanceToken: "not-the-token-9d8e",
    });
    const error = await failure(channel.send("5511999999999", hello, context()));
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ httpStatus: 404, providerCode: 404 });
    expect((error as Error).message).toMatch(/Instance not found/);
    expectNoSecret(error, ["not-the-token-9d8e", ...secretsOf(simulator)]);
  });

  it("a disconnected instance is a non-retryable ProviderUnavailable", async () => {
    simulator.setConnected(false);
    const channel = createZapiChannel(simulatorOptions(simulator));
    const error = await failure(channel.send("5511999999999", hello, context()));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: false, httpStatus: 400 });
    expect((error as Error).message).toContain("You are not connected.");
    expectNoSecret(error, secretsOf(simulator));
  });

  it("an abandoned request names neither the URL nor a token", async () => {
    simulator.failNext({ latencyMs: 2_000 });
    const channel = createZapiChannel({ ...simulatorOptions(simulator), timeoutMs: 50 });
    const error = await failure(channel.send("5511999999999", hello, context()));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toBe("zapi did not answer within 50 ms");
    expectNoSecret(error, [...secretsOf(simulator), simulator.baseUrl]);
  });

  it("an unreachable Z-API names neither the URL nor a token", async () => {
    const closed = await startZapiSimulator();
    const options = simulatorOptions(closed);
    await closed.close();
    const error = await failure(createZapiChannel(options).send("5511999999999", hello, context()));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: true });
    expectNoSecret(error, [...secretsOf(closed), options.baseUrl, "/instances/"]);
  });
});
