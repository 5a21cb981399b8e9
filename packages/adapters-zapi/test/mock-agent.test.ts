import { ProviderUnavailable } from "@replykit/core";
import {
  sendContext as context,
  failureOf as failure,
  buttonMessage as message,
} from "@replykit/http-transport/testing";
import { undiciTransport } from "@replykit/http-transport/undici";
import { MockAgent } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createZapiChannel } from "../src/index.js";

// Failures the simulator cannot produce, answered by undici's MockAgent with the network off.
const ORIGIN = "https://api.z-api.io";
const credentials = {
  instanceId: "3C01AINSTANCE",
  instanceToken: "F00DINSTANCETOKEN77",
  clientToken: "CLIENTTOKEN0B1C2D",
};
const PATH = `/instances/${credentials.instanceId}/token/${credentials.instanceToken}/send-button-actions`;
const hello = message({ body: "Hello", buttons: [{ id: "a", title: "A" }] });

function expectNoSecret(error: unknown): void {
  const rendered = [String(error), JSON.stringify(error), (error as Error).stack ?? ""].join("\n");
  for (const secret of [...Object.values(credentials), PATH, ORIGIN]) {
    expect(rendered).not.toContain(secret);
  }
}

describe("Z-API answers only a mock can give", () => {
  let mockAgent: MockAgent;
  const channel = () =>
    createZapiChannel({ ...credentials, transport: undiciTransport({ dispatcher: mockAgent }) });
  const intercept = () => mockAgent.get(ORIGIN).intercept({ path: PATH, method: "POST" });

  beforeAll(() => {
    mockAgent = new MockAgent();
    mockAgent.disableNetConnect();
  });
  afterEach(() => mockAgent.assertNoPendingInterceptors());
  afterAll(() => mockAgent.close());

  it("sends the documented request: POST, instance path, Client-Token, JSON body", async () => {
    mockAgent
      .get(ORIGIN)
      .intercept({
        path: PATH,
        method: "POST",
        headers: { "client-token": credentials.clientToken, "content-type": "application/json" },
        body: (body) =>
          JSON.stringify(JSON.parse(body)) ===
          JSON.stringify({
            phone: "5511999999999",
            message: "Hello",
            buttonActions: [{ id: "a", type: "REPLY", label: "A" }],
          }),
      })
      .reply(200, { zaapId: "Z1", messageId: "D241XX", id: "D241XX" });
    await expect(channel().send("+55 11 99999-9999", hello, context())).resolves.toEqual({
      providerMessageId: "D241XX",
    });
  });

  it("maps a 502 with an HTML body to a retryable ProviderUnavailable", async () => {
    intercept().reply(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", {
      headers: { "content-type": "text/html" },
    });
    const error = await failure(channel().send("5511999999999", hello, context()));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({
      provider: "zapi",
      httpStatus: 502,
      providerCode: 502,
      retryable: true,
    });
    expect((error as Error).message).toBe("Z-API did not send the message (HTTP 502)");
    expectNoSecret(error);
  });

  it("maps a 200 with truncated JSON to a non-retryable 'unexpected shape' error", async () => {
    intercept().reply(200, '{"zaapId":"Z1","messageId":"D24', {
      headers: { "content-type": "application/json" },
    });
    const error = await failure(channel().send("5511999999999", hello, context()));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ httpStatus: 200, retryable: false, deliveryUnknown: true });
    expect((error as Error).message).toMatch(/unexpected shape/);
    expectNoSecret(error);
  });

  it("maps a 204 with no body to a non-retryable 'unexpected shape' error", async () => {
    intercept().reply(204, "");
    const error = await failure(channel().send("5511999999999", hello, context()));
    expect(error).toMatchObject({ httpStatus: 204, retryable: false });
    expect((error as Error).message).toMatch(/unexpected shape/);
  });

  it("maps an error mid-request to a retryable ProviderUnavailable that does not quote it", async () => {
    // The failure's own text quotes the URL, token included: it must not travel on.
    intercept().replyWithError(new Error(`socket hang up while writing to ${ORIGIN}${PATH}`));
    const error = await failure(channel().send("5511999999999", hello, context()));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    // The request was on its way: Z-API may have taken it.
    expect(error).toMatchObject({ retryable: true, deliveryUnknown: true });
    expect((error as Error).message).toMatch(/^could not reach zapi/);
    expectNoSecret(error);
  });

  it("honours a Retry-After given as an HTTP date", async () => {
    const at = new Date(Math.ceil(Date.now() / 1000) * 1000 + 30_000);
    intercept().reply(
      429,
      { error: "Too Many Requests" },
      { headers: { "retry-after": at.toUTCString() } },
    );
    const error = await failure(channel().send("5511999999999", hello, context()));
    expect(error).toBeInstanceOf(ProviderUnavailable);
    const { retryAfterMs, retryable } = error as ProviderUnavailable;
    expect(retryable).toBe(true);
    expect(retryAfterMs).toBeGreaterThan(25_000);
    expect(retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it("honours a Retry-After in seconds on a 503", async () => {
    intercept().reply(503, { error: "Service Unavailable" }, { headers: { "retry-after": "120" } });
    const error = await failure(channel().send("5511999999999", hello, context()));
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 120_000, httpStatus: 503 });
  });

  it("reads a success body sent as text/plain like JSON", async () => {
    intercept().reply(200, JSON.stringify({ zaapId: "Z", messageId: "M", id: "M" }), {
      headers: { "content-type": "text/plain" },
    });
    await expect(channel().send("5511999999999", hello, context())).resolves.toEqual({
      providerMessageId: "M",
    });
  });
});
