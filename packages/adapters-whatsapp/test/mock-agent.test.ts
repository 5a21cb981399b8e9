import { ProviderRejected, ProviderUnavailable } from "@replykit/core";
import {
  buttonMessage,
  failureOf,
  renderings,
  sendContext,
} from "@replykit/http-transport/testing";
import { undiciTransport } from "@replykit/http-transport/undici";
import { MockAgent } from "undici";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createWhatsAppChannel } from "../src/index.js";
import { buttons } from "./support.js";

// Failures a well-behaved simulator cannot produce: proxies' HTML pages, bodies cut off
// mid-stream, sockets that die, Retry-After given as a date.
const ORIGIN = "https://graph.facebook.com";
const TOKEN = "EAAG-mock-agent-token-42";
const PHONE_NUMBER_ID = "106540352242922";
const PATH = `/v23.0/${PHONE_NUMBER_ID}/messages`;

describe("WhatsApp channel against undici's MockAgent", () => {
  let agent: MockAgent;
  const raised: unknown[] = [];

  beforeAll(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
  });
  afterEach(() => agent.assertNoPendingInterceptors());
  afterAll(() => agent.close());

  const channel = () =>
    createWhatsAppChannel({
      accessToken: TOKEN,
      phoneNumberId: PHONE_NUMBER_ID,
      transport: undiciTransport({ dispatcher: agent }),
    });
  const graph = () => agent.get(ORIGIN);
  const send = () =>
    channel().send(
      "+55 11 99999-9999",
      buttonMessage({ header: "Hi", body: "Pick", footer: "Thanks", buttons: buttons(2) }),
      sendContext(),
    );
  const sendFailing = async () => {
    const error = await failureOf(send());
    raised.push(error);
    return error;
  };

  it("sends the documented request and reads the wamid from a 200", async () => {
    graph()
      .intercept({
        path: PATH,
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: (body) =>
          JSON.stringify(JSON.parse(body)) ===
          JSON.stringify({
            messaging_product: "whatsapp",
            recipient_type: "individual",
            to: "5511999999999",
            type: "interactive",
            interactive: {
              type: "button",
              header: { type: "text", text: "Hi" },
              body: { text: "Pick" },
              footer: { text: "Thanks" },
              action: {
                buttons: [
                  { type: "reply", reply: { id: "option-1", title: "Option 1" } },
                  { type: "reply", reply: { id: "option-2", title: "Option 2" } },
                ],
              },
            },
          }),
      })
      .reply(200, {
        messaging_product: "whatsapp",
        contacts: [{ input: "5511999999999", wa_id: "5511999999999" }],
        messages: [{ id: "wamid.HBgNNTUxMTk5OTk5OTk5ORUCABEYEjA" }],
      });
    await expect(send()).resolves.toEqual({
      providerMessageId: "wamid.HBgNNTUxMTk5OTk5OTk5ORUCABEYEjA",
    });
  });

  it("maps a 502 with an HTML page to a retryable ProviderUnavailable", async () => {
    graph()
      .intercept({ path: PATH, method: "POST" })
      .reply(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", {
        headers: { "content-type": "text/html" },
      });
    const error = await sendFailing();
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ httpStatus: 502, retryable: true, deliveryUnknown: true });
    expect((error as Error).message).toMatch(/without Meta's JSON error envelope/);
    expect((error as Error).message).not.toContain("<html>");
  });

  it("maps a 401 with a plain-text body to a ProviderRejected", async () => {
    graph().intercept({ path: PATH, method: "POST" }).reply(401, "Unauthorized");
    const error = await sendFailing();
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ httpStatus: 401 });
  });

  it("maps a 200 with truncated JSON to a non-retryable ProviderUnavailable", async () => {
    graph()
      .intercept({ path: PATH, method: "POST" })
      .reply(
        200,
        '{"messaging_product":"whatsapp","contacts":[{"input":"55","wa_id":"55"}],"messages":[{"id":"wamid.HBg',
        {
          headers: { "content-type": "application/json" },
        },
      );
    const error = await sendFailing();
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ httpStatus: 200, retryable: false });
    expect((error as Error).message).toMatch(/unexpected shape/);
  });

  it("maps a connection error mid-request to a retryable ProviderUnavailable", async () => {
    graph()
      .intercept({ path: PATH, method: "POST" })
      .replyWithError(
        Object.assign(new Error(`socket hang up ${ORIGIN}${PATH}`), { code: "ECONNRESET" }),
      );
    const error = await sendFailing();
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ retryable: true, deliveryUnknown: true });
    expect((error as Error).message).not.toContain(PATH);
  });

  it("honours a Retry-After given as an HTTP date on Meta 130429", async () => {
    const at = new Date(Date.now() + 30_000).toUTCString();
    graph()
      .intercept({ path: PATH, method: "POST" })
      .reply(
        429,
        {
          error: {
            message: "(#130429) Rate limit hit",
            type: "OAuthException",
            code: 130429,
            fbtrace_id: "A1",
          },
        },
        { headers: { "retry-after": at } },
      );
    const error = await sendFailing();
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ providerCode: 130429, retryable: true });
    const wait = (error as ProviderUnavailable).retryAfterMs ?? -1;
    // HTTP dates have whole seconds, so up to one second is lost to rounding.
    expect(wait).toBeGreaterThan(28_000);
    expect(wait).toBeLessThanOrEqual(30_000);
  });

  it("reads a Retry-After date in the past as 'retry now'", async () => {
    graph()
      .intercept({ path: PATH, method: "POST" })
      .reply(
        400,
        { error: { message: "(#4) Application request limit reached", code: 4, fbtrace_id: "A2" } },
        { headers: { "retry-after": "Wed, 21 Oct 2015 07:28:00 GMT" } },
      );
    const error = await sendFailing();
    expect(error).toMatchObject({ providerCode: 4, retryable: true, retryAfterMs: 0 });
  });

  it("honours Retry-After seconds on a 503 without Meta's envelope", async () => {
    graph()
      .intercept({ path: PATH, method: "POST" })
      .reply(503, "", { headers: { "retry-after": "12" } });
    const error = await sendFailing();
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(error).toMatchObject({ httpStatus: 503, retryable: true, retryAfterMs: 12_000 });
  });

  it("never puts the access token in any error raised above", () => {
    expect(raised.length).toBeGreaterThanOrEqual(6);
    for (const error of raised) expect(renderings(error)).not.toContain(TOKEN);
  });
});
