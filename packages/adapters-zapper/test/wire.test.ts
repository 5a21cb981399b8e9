import { phoneDigits } from "@replykit/http-transport";
import { buttonMessage, sendContext as context } from "@replykit/http-transport/testing";
import { startZapperSimulator, type ZapperSimulator } from "@replykit/provider-simulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createZapperChannel, toRecipient, toRequestBody } from "../src/index.js";
import { channelFor, lastAccepted, RECIPIENT } from "./simulated-channel.js";

let simulator: ZapperSimulator;
beforeAll(async () => {
  simulator = await startZapperSimulator();
});
afterAll(() => simulator.close());
beforeEach(() => simulator.reset());

const yesNo = [
  { id: "yes", title: "Yes" },
  { id: "no", title: "No" },
];

async function sentBody(message: Parameters<typeof buttonMessage>[0], recipient = RECIPIENT) {
  const receipt = await channelFor(simulator).send(recipient, buttonMessage(message), context());
  expect(receipt.providerMessageId).toBe(lastAccepted(simulator));
  const request = simulator.received.at(-1);
  if (request === undefined) throw new Error("the simulator received nothing");
  return request;
}

describe("the request ZapperAPI receives", () => {
  it("is the providers/README example, byte for byte, for a message with title and footer", async () => {
    const request = await sentBody({
      header: "optional title",
      body: "message body",
      footer: "optional footer",
      buttons: yesNo,
    });
    expect(request.rawBody).toBe(
      JSON.stringify({
        jid: "5511999999999",
        title: "optional title",
        body: "message body",
        footer: "optional footer",
        buttons: [
          { type: "reply", displayText: "Yes", id: "yes" },
          { type: "reply", displayText: "No", id: "no" },
        ],
      }),
    );
  });

  it("POSTs JSON to /{instanceId}/messages/buttons with the x-api-key header", async () => {
    const request = await sentBody({ body: "Pick one", buttons: yesNo });
    expect(request.method).toBe("POST");
    expect(request.path).toBe(`/${simulator.credentials.instanceId}/messages/buttons`);
    expect(request.query).toEqual({});
    expect(request.headers["x-api-key"]).toBe(simulator.credentials.apiKey);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.accept).toBe("application/json");
    expect(request.headers.authorization).toBeUndefined();
  });

  it("leaves title and footer out when the message has no header or footer", async () => {
    const request = await sentBody({ body: "Pick one", buttons: [{ id: "only", title: "Only" }] });
    expect(request.body).toStrictEqual({
      jid: RECIPIENT,
      body: "Pick one",
      buttons: [{ type: "reply", displayText: "Only", id: "only" }],
    });
  });

  it("sends the header as title without a footer, and the footer without a title", async () => {
    const titled = await sentBody({ header: "Head", body: "B", buttons: yesNo });
    expect(titled.body).toStrictEqual({
      jid: RECIPIENT,
      title: "Head",
      body: "B",
      buttons: [
        { type: "reply", displayText: "Yes", id: "yes" },
        { type: "reply", displayText: "No", id: "no" },
      ],
    });
    const footed = await sentBody({ body: "B", footer: "Foot", buttons: yesNo });
    expect(footed.body).toMatchObject({ footer: "Foot" });
    expect(footed.body).not.toHaveProperty("title");
  });

  it.each([1, 2, 3])("sends %i reply button(s) in order", async (count) => {
    const buttons = Array.from({ length: count }, (_, index) => ({
      id: `option-${index + 1}`,
      title: `Option ${index + 1}`,
    }));
    const request = await sentBody({ body: "Choose", buttons });
    expect(request.body).toStrictEqual({
      jid: RECIPIENT,
      body: "Choose",
      buttons: buttons.map(({ id, title }) => ({ type: "reply", displayText: title, id })),
    });
  });

  it("keeps emoji, astral characters and combining marks intact", async () => {
    const text = {
      header: "Olá 👋🏽",
      body: "Café, naïve, 𝒜stral 𝟘, e\u0301 — 你好 👨‍👩‍👧",
      footer: "replykit ✓ 🇧🇷",
      buttons: [
        { id: "yes-✓-𝒜", title: "Sim 👍" },
        { id: "no-e\u0301", title: "Não" },
      ],
    };
    const request = await sentBody(text);
    expect(request.body).toStrictEqual({
      jid: RECIPIENT,
      title: text.header,
      body: text.body,
      footer: text.footer,
      buttons: text.buttons.map(({ id, title }) => ({ type: "reply", displayText: title, id })),
    });
  });

  it("normalises a written phone number to its digits", async () => {
    const request = await sentBody({ body: "Hi", buttons: yesNo }, "+55 11 99999-9999");
    expect(request.body).toMatchObject({ jid: "5511999999999" });
  });

  it("sends expiration only when the channel is configured with one", async () => {
    const channel = channelFor(simulator, { expiration: "7d" });
    await channel.send(RECIPIENT, buttonMessage({ body: "Bye soon", buttons: yesNo }), context());
    expect(simulator.received.at(-1)?.body).toMatchObject({ expiration: "7d" });
    const plain = await sentBody({ body: "Stays", buttons: yesNo });
    expect(plain.body).not.toHaveProperty("expiration");
  });

  it("accepts a baseUrl with a trailing slash and a path prefix", async () => {
    const requests: string[] = [];
    const channel = createZapperChannel({
      instanceId: "inst_abc",
      apiKey: "key",
      baseUrl: "https://proxy.example/zapper/",
      transport: async (request) => {
        requests.push(`${request.method} ${request.url}`);
        return { status: 200, header: () => undefined, body: '{"key":{"id":"3EB0AA"}}' };
      },
    });
    await channel.send(RECIPIENT, buttonMessage({ body: "x", buttons: yesNo }), context());
    expect(requests).toEqual(["POST https://proxy.example/zapper/inst_abc/messages/buttons"]);
  });

  it("uses https://api.zapperapi.com by default and escapes the instance id in the path", async () => {
    const urls: string[] = [];
    const channel = createZapperChannel({
      instanceId: "inst/../x?y",
      apiKey: "key",
      transport: async (request) => {
        urls.push(request.url);
        return { status: 200, header: () => undefined, body: '{"key":{"id":"3EB0AA"}}' };
      },
    });
    await channel.send(RECIPIENT, buttonMessage({ body: "x", buttons: yesNo }), context());
    expect(urls).toEqual(["https://api.zapperapi.com/inst%2F..%2Fx%3Fy/messages/buttons"]);
  });
});

describe("toRecipient", () => {
  it.each([
    ["5511999999999", "5511999999999"],
    ["+5511999999999", "5511999999999"],
    ["+55 11 99999-9999", "5511999999999"],
    ["55-11-99999-9999", "5511999999999"],
    [" 5511999999999 ", "5511999999999"],
    ["+55 (11) 99999-9999", "5511999999999"],
    ["(11) 99999-9999", "11999999999"],
    ["55.11.99999.9999", "5511999999999"],
    ["5511999999999\t", "5511999999999"],
  ])("turns the written phone number %j into %j", (recipient, jid) => {
    expect(toRecipient(recipient)).toBe(jid);
  });

  it.each([
    "5511999999999@s.whatsapp.net",
    "+5511999999999@s.whatsapp.net",
    "12345678-987654321@g.us",
    "120363019502650977@g.us",
    "123456789012345@lid",
    "+",
    "",
  ])("passes %j through unchanged", (recipient) => {
    expect(toRecipient(recipient)).toBe(recipient);
  });
});

describe("toRecipient and the other adapters", () => {
  it("formats a recipient exactly as the other adapters do, by http-transport's phoneDigits", () => {
    for (const written of ["+55 (11) 99999-9999", "55.11.99999.9999", " +55\t11 99999-9999 "]) {
      expect(toRecipient(written)).toBe(phoneDigits(written));
    }
  });
});

describe("toRequestBody", () => {
  it("maps header to title, title to displayText, and adds expiration when given", () => {
    const message = buttonMessage({
      header: "H",
      body: "B",
      footer: "F",
      buttons: [{ id: "a", title: "A" }],
    });
    expect(toRequestBody("+1 555-0100", message, { expiration: "24h" })).toStrictEqual({
      jid: "15550100",
      title: "H",
      body: "B",
      footer: "F",
      buttons: [{ type: "reply", displayText: "A", id: "a" }],
      expiration: "24h",
    });
  });
});
