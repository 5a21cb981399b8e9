import type { ButtonMessageInput } from "@replykit/core";
import { type HttpRequest, type HttpTransport, phoneDigits } from "@replykit/http-transport";
import { buttonMessage, sendContext } from "@replykit/http-transport/testing";
import { startWhatsAppSimulator, type WhatsAppSimulator } from "@replykit/provider-simulator";
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createWhatsAppChannel, toRecipient, toRequestBody } from "../src/index.js";
import { buttons, lastOrganicRequest } from "./support.js";

// The example of /work/shared/providers/README.md, "Meta WhatsApp Cloud API", verbatim.
const README_EXAMPLE = {
  messaging_product: "whatsapp",
  recipient_type: "individual",
  to: "5511999999999",
  type: "interactive",
  interactive: {
    type: "button",
    header: { type: "text", text: "optional header" },
    body: { text: "required body" },
    footer: { text: "optional footer" },
    action: { buttons: [{ type: "reply", reply: { id: "yes", title: "Yes" } }] },
  },
};

/** The body Meta expects for `input`, written out independently of src/wire.ts. */
function expectedBody(to: string, input: ButtonMessageInput) {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to,
    type: "interactive",
    interactive: {
      type: "button",
      ...(input.header === undefined ? {} : { header: { type: "text", text: input.header } }),
      body: { text: input.body },
      ...(input.footer === undefined ? {} : { footer: { text: input.footer } }),
      action: {
        buttons: input.buttons.map(({ id, title }) => ({ type: "reply", reply: { id, title } })),
      },
    },
  };
}

describe("toRequestBody", () => {
  it("produces the providers/README.md example exactly, key order included", () => {
    const message = buttonMessage({
      header: "optional header",
      body: "required body",
      footer: "optional footer",
      buttons: [{ id: "yes", title: "Yes" }],
    });
    const request = toRequestBody("5511999999999", message);
    expect(request).toEqual(README_EXAMPLE);
    expect(JSON.stringify(request)).toBe(JSON.stringify(README_EXAMPLE));
  });

  it("leaves out header and footer when the message has none", () => {
    const request = toRequestBody(
      "5511999999999",
      buttonMessage({ body: "Hi", buttons: buttons(1) }),
    );
    expect(request.interactive).not.toHaveProperty("header");
    expect(request.interactive).not.toHaveProperty("footer");
    expect(request).toEqual(expectedBody("5511999999999", { body: "Hi", buttons: buttons(1) }));
  });

  it.each([1, 2, 3])("maps %i button(s) in order, each as a reply button", (count) => {
    const request = toRequestBody(
      "5511999999999",
      buttonMessage({ body: "Pick", buttons: buttons(count) }),
    );
    expect(request.interactive.action.buttons).toEqual(
      buttons(count).map((button) => ({ type: "reply", reply: button })),
    );
  });

  it("sends a header without a footer, and a footer without a header", () => {
    const headerOnly = { header: "Top", body: "Body", buttons: buttons(2) };
    const footerOnly = { body: "Body", footer: "Bottom", buttons: buttons(2) };
    expect(toRequestBody("1", buttonMessage(headerOnly))).toEqual(expectedBody("1", headerOnly));
    expect(toRequestBody("1", buttonMessage(footerOnly))).toEqual(expectedBody("1", footerOnly));
  });
});

describe("toRecipient", () => {
  it.each([
    ["5511999999999", "5511999999999"],
    ["+5511999999999", "5511999999999"],
    ["+55 (11) 99999-9999", "5511999999999"],
    [" +1 555-123-4567 ", "15551234567"],
    ["+44\u00a020\t7946\u00a00958", "442079460958"],
    ["44.20.7946.0958", "442079460958"],
  ])("strips a leading + and formatting from %j", (given, sent) => {
    expect(toRecipient(given)).toBe(sent);
  });

  it.each([
    ["++5511", "++5511"],
    ["55+11", "55+11"],
    ["5511abc", "5511abc"],
    ["5511999999999@s.whatsapp.net", "5511999999999@s.whatsapp.net"],
  ])("keeps anything else of %j as given for Meta to judge", (given, sent) => {
    expect(toRecipient(given)).toBe(sent);
  });

  it("turns any formatting of a number into its digits (property)", () => {
    const separator = fc.constantFrom(" ", "-", ".", "(", ")", "\u00a0", "\t");
    const formatted = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.array(separator, { maxLength: 2 })), {
        minLength: 1,
        maxLength: 15,
      })
      .chain((parts) =>
        fc.tuple(
          fc.constant(parts.map(([digit]) => String(digit)).join("")),
          fc.boolean(),
          fc.constant(parts.map(([digit, seps]) => `${seps.join("")}${digit}`).join("")),
        ),
      );
    fc.assert(
      fc.property(formatted, ([digits, plus, body]) => {
        expect(toRecipient(`${plus ? "+" : ""}${body}`)).toBe(digits);
      }),
    );
  });
});

describe("the request on the wire (simulator over HTTP)", () => {
  let simulator: WhatsAppSimulator;

  beforeAll(async () => {
    simulator = await startWhatsAppSimulator();
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const channelFor = (overrides: { baseUrl?: string; apiVersion?: string } = {}) =>
    createWhatsAppChannel({
      accessToken: simulator.credentials.accessToken,
      phoneNumberId: simulator.credentials.phoneNumberId,
      baseUrl: simulator.baseUrl,
      ...overrides,
    });

  async function sentBody(to: string, input: ButtonMessageInput) {
    await channelFor().send(to, buttonMessage(input), sendContext());
    return lastOrganicRequest(simulator);
  }

  it("POSTs JSON to /{apiVersion}/{phoneNumberId}/messages with the bearer token", async () => {
    const receipt = await channelFor().send(
      "5511999999999",
      buttonMessage({ body: "Hi", buttons: buttons(1) }),
      sendContext(),
    );
    const request = lastOrganicRequest(simulator);
    expect(request?.method).toBe("POST");
    expect(request?.path).toBe(`/v23.0/${simulator.credentials.phoneNumberId}/messages`);
    expect(request?.query).toEqual({});
    expect(request?.headers.authorization).toBe(`Bearer ${simulator.credentials.accessToken}`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.response).toMatchObject({ kind: "response", status: 200 });
    expect(receipt.providerMessageId).toMatch(/^wamid\./);
  });

  it("uses the configured API version and ignores a trailing slash on baseUrl", async () => {
    const pinned = await startWhatsAppSimulator({ apiVersion: "v21.0" });
    try {
      const channel = createWhatsAppChannel({
        accessToken: pinned.credentials.accessToken,
        phoneNumberId: pinned.credentials.phoneNumberId,
        baseUrl: `${pinned.baseUrl}/`,
        apiVersion: "v21.0",
      });
      await channel.send(
        "5511999999999",
        buttonMessage({ body: "Hi", buttons: buttons(1) }),
        sendContext(),
      );
      expect(pinned.received[0]?.path).toBe(`/v21.0/${pinned.credentials.phoneNumberId}/messages`);
      expect(pinned.received[0]?.response).toMatchObject({ status: 200 });
    } finally {
      await pinned.close();
    }
  });

  it.each([1, 2, 3])(
    "sends a message of %i button(s) exactly, with header and footer",
    async (count) => {
      const input = { header: "Header", body: "Body", footer: "Footer", buttons: buttons(count) };
      const request = await sentBody("5511999999999", input);
      expect(request?.body).toEqual(expectedBody("5511999999999", input));
    },
  );

  it("sends a message without header and footer exactly", async () => {
    const input = { body: "Just a body", buttons: buttons(2) };
    const request = await sentBody("5511999999999", input);
    expect(request?.body).toEqual(expectedBody("5511999999999", input));
  });

  it("sends emoji, astral characters and combining marks intact", async () => {
    const input = {
      header: "Olá 👋 𝒜",
      body: "Café, naïve, e\u0301, 𝒜stral, 👨‍👩‍👧 family, 🇧🇷 — 你好",
      footer: "replykit ✓ 🚀",
      buttons: [
        { id: "yes-✓-👍", title: "Sim 👍" },
        { id: "e\u0301-𝒜", title: "Não e\u0301" },
        { id: "family-👨‍👩‍👧", title: "👨‍👩‍👧" },
      ],
    };
    const request = await sentBody("5511999999999", input);
    expect(request?.body).toEqual(expectedBody("5511999999999", input));
    // The raw bytes carry the characters themselves, not a lossy re-encoding.
    expect(request?.rawBody).toContain("👨‍👩‍👧");
    expect(request?.rawBody).toContain("e\u0301");
  });

  it("sends texts at the exact length limits, counted in UTF-16 code units", async () => {
    const input = {
      header: "👍".repeat(30),
      body: `${"a".repeat(1022)}𝒜`,
      footer: "f".repeat(60),
      buttons: [
        { id: "i".repeat(256), title: "😀".repeat(10) },
        { id: "two", title: "t".repeat(20) },
      ],
    };
    const request = await sentBody("5511999999999", input);
    expect(request?.body).toEqual(expectedBody("5511999999999", input));
    expect(request?.response).toMatchObject({ status: 200 });
  });

  it("formats a recipient exactly as the other adapters do, by http-transport's phoneDigits", () => {
    for (const written of ["+55 (11) 99999-9999", "55.11.99999.9999", " +55\t11 99999-9999 "]) {
      expect(toRecipient(written)).toBe(phoneDigits(written));
    }
  });

  it("sends the recipient as digits, without + and formatting", async () => {
    const request = await sentBody("+55 (11) 99999-9999", { body: "Hi", buttons: buttons(1) });
    expect(request?.body).toMatchObject({ to: "5511999999999" });
  });
});

describe("the request handed to the transport", () => {
  function recordingTransport(seen: HttpRequest[]): HttpTransport {
    return async (request) => {
      seen.push(request);
      return {
        status: 200,
        header: () => undefined,
        body: JSON.stringify({
          messaging_product: "whatsapp",
          contacts: [{ input: "1", wa_id: "1" }],
          messages: [{ id: "wamid.recorded" }],
        }),
      };
    };
  }

  it("targets graph.facebook.com and v23.0 by default", async () => {
    const seen: HttpRequest[] = [];
    const channel = createWhatsAppChannel({
      accessToken: "token-value",
      phoneNumberId: "123456789",
      transport: recordingTransport(seen),
    });
    const receipt = await channel.send(
      "1",
      buttonMessage({ body: "Hi", buttons: buttons(1) }),
      sendContext(),
    );
    expect(receipt).toEqual({ providerMessageId: "wamid.recorded" });
    expect(seen[0]?.method).toBe("POST");
    expect(seen[0]?.url).toBe("https://graph.facebook.com/v23.0/123456789/messages");
    expect(seen[0]?.headers).toMatchObject({
      authorization: "Bearer token-value",
      "content-type": "application/json",
    });
  });

  it("keeps a path prefix of baseUrl (a proxy in front of Graph)", async () => {
    const seen: HttpRequest[] = [];
    const channel = createWhatsAppChannel({
      accessToken: "token-value",
      phoneNumberId: "123456789",
      baseUrl: "https://proxy.example/graph/",
      apiVersion: "v19.0",
      transport: recordingTransport(seen),
    });
    await channel.send("1", buttonMessage({ body: "Hi", buttons: buttons(1) }), sendContext());
    expect(seen[0]?.url).toBe("https://proxy.example/graph/v19.0/123456789/messages");
  });
});
