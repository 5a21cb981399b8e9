import { ProviderRejected, ProviderUnavailable } from "@replykit/core";
import { buttonMessage, sendContext as context, failureOf } from "@replykit/http-transport/testing";
import { undiciTransport } from "@replykit/http-transport/undici";
import { MockAgent } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZapperChannel } from "../src/index.js";
import { RECIPIENT } from "./simulated-channel.js";

const ORIGIN = "https://api.zapperapi.com";
const INSTANCE_ID = "inst_mockagent000000000001";
const API_KEY = "zk_mock_key_0123456789";
const PATH = `/${INSTANCE_ID}/messages/buttons`;

let mockAgent: MockAgent;
beforeEach(() => {
  mockAgent = new MockAgent();
  mockAgent.disableNetConnect();
});
afterEach(async () => {
  mockAgent.assertNoPendingInterceptors();
  await mockAgent.close();
});

const message = buttonMessage({
  header: "Hi",
  body: "Pick one",
  buttons: [
    { id: "yes", title: "Yes" },
    { id: "no", title: "No" },
  ],
});

function send(timeoutMs?: number) {
  const channel = createZapperChannel({
    instanceId: INSTANCE_ID,
    apiKey: API_KEY,
    transport: undiciTransport({ dispatcher: mockAgent }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return channel.send(RECIPIENT, message, context());
}

const intercept = () => mockAgent.get(ORIGIN).intercept({ path: PATH, method: "POST" });

function expectNoSecret(error: unknown): void {
  const text = [String(error), JSON.stringify(error), (error as Error).stack ?? ""].join("\n");
  expect(text).not.toContain(API_KEY);
  expect(text).not.toContain(INSTANCE_ID);
}

describe("ZapperAPI answers only a mock can give", () => {
  it("sends the documented request to the default base URL and reads key.id", async () => {
    mockAgent
      .get(ORIGIN)
      .intercept({
        path: PATH,
        method: "POST",
        headers: { "x-api-key": API_KEY, "content-type": "application/json" },
        body: (body) =>
          body ===
          JSON.stringify({
            jid: RECIPIENT,
            title: "Hi",
            body: "Pick one",
            buttons: [
              { type: "reply", displayText: "Yes", id: "yes" },
              { type: "reply", displayText: "No", id: "no" },
            ],
          }),
      })
      .reply(200, {
        key: { remoteJid: `${RECIPIENT}@s.whatsapp.net`, fromMe: true, id: "3EB0F00D" },
      });
    await expect(send()).resolves.toEqual({ providerMessageId: "3EB0F00D" });
  });

  it("maps a 502 with an HTML body to a retryable ProviderUnavailable without the HTML", async () => {
    intercept().reply(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", {
      headers: { "content-type": "text/html" },
    });
    const error = await failureOf(send());
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ httpStatus: 502, providerCode: 502, retryable: true });
    expect((error as Error).message).toBe("ZapperAPI failed to send the message (HTTP 502)");
  });

  it("maps a 200 with truncated JSON to a non-retryable unexpected-answer error", async () => {
    intercept().reply(200, '{"key":{"remoteJid":"5511999999999@s.whatsapp.net","id":"3EB0', {
      headers: { "content-type": "application/json" },
    });
    const error = await failureOf(send());
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ httpStatus: 200, retryable: false });
    expect((error as Error).message).toMatch(/unexpected shape/);
  });

  it("maps a 200 with an empty body (the openapi documents none) to an unexpected answer", async () => {
    intercept().reply(200, "");
    const error = await failureOf(send());
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: false });
    expect((error as Error).message).toMatch(/unexpected shape/);
  });

  it("maps an error mid-request to a retryable ProviderUnavailable that names no URL", async () => {
    intercept().replyWithError(new Error(`socket hang up on ${ORIGIN}${PATH} key ${API_KEY}`));
    const error = await failureOf(send());
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/^could not reach zapper/);
    expectNoSecret(error);
  });

  it("honours a Retry-After given as an HTTP date on a 429", async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    intercept().reply(
      429,
      { statusCode: 429, error: "Too Many Requests", message: "Rate limit exceeded" },
      { headers: { "retry-after": at } },
    );
    const error = await failureOf(send());
    expect(error).toBeInstanceOf(ProviderUnavailable);
    const { retryAfterMs } = error as ProviderUnavailable;
    expect(retryAfterMs).toBeGreaterThan(25_000);
    expect(retryAfterMs).toBeLessThanOrEqual(30_000);
    expect((error as Error).message).toBe(
      "ZapperAPI is rate limiting this instance (HTTP 429): Rate limit exceeded",
    );
  });

  it("honours a Retry-After date in the past as 0 on a 503", async () => {
    intercept().reply(503, "", { headers: { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" } });
    const error = await failureOf(send());
    expect(error).toMatchObject({ httpStatus: 503, retryable: true, retryAfterMs: 0 });
  });

  it("gives up after timeoutMs on an answer that is too slow", async () => {
    intercept()
      .reply(200, { key: { id: "3EB0LATE" } })
      .delay(1_000);
    const error = await failureOf(send(50));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toBe("zapper did not answer within 50 ms");
  });

  it("keeps Fastify's code from a 415 and rejects without retry", async () => {
    intercept().reply(415, {
      statusCode: 415,
      code: "FST_ERR_CTP_INVALID_MEDIA_TYPE",
      error: "Unsupported Media Type",
      message: "Unsupported Media Type: text/plain",
    });
    const error = await failureOf(send());
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({
      httpStatus: 415,
      providerCode: "FST_ERR_CTP_INVALID_MEDIA_TYPE",
    });
  });
});
