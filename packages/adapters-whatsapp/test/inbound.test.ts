import { hmacSha256Hex, movesForward, type ParsedInbound } from "@replykit/core";
import { inboundConformance, webhookRequest } from "@replykit/core/conformance";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  optionsSchema,
  parseWhatsAppWebhook,
  type ResolvedWhatsAppOptions,
  WHATSAPP_SIGNATURE_HEADER,
  whatsappDriver,
  whatsappInbound,
} from "../src/index.js";
import {
  envelope,
  SENT_WAMID,
  whatsappBodyWithItems,
  whatsappInboundFixtures,
} from "./fixtures/inbound.js";

const connection = { accessToken: "EAAG-test-token", phoneNumberId: "106540352242922" };

function options(
  inbound: { appSecret?: string; verifyToken?: string } = {},
): ResolvedWhatsAppOptions {
  return optionsSchema.parse({ ...connection, ...inbound });
}

/** A webhook as Meta posts it: `raw` exactly, signed with `secret`. */
async function signed(raw: string, secret: string, header = WHATSAPP_SIGNATURE_HEADER) {
  const bytes = new TextEncoder().encode(raw);
  return webhookRequest({
    headers: {
      "content-type": "application/json",
      [header]: `sha256=${await hmacSha256Hex(secret, bytes)}`,
    },
    body: bytes,
  });
}

inboundConformance("WhatsApp Cloud API", () => ({
  inbound: whatsappInbound,
  options: (secret) => options(secret === undefined ? {} : { appSecret: secret }),
  request: (body, secret) => signed(JSON.stringify(body), secret),
  signsBody: true,
  credentialHeaders: [WHATSAPP_SIGNATURE_HEADER],
  fixtures: whatsappInboundFixtures,
  bodyWithItems: whatsappBodyWithItems,
}));

describe("whatsappDriver.inbound", () => {
  it("is the Cloud API's inbound side", () => {
    expect(whatsappDriver.inbound).toBe(whatsappInbound);
  });
});

describe("X-Hub-Signature-256", () => {
  const secret = "0123456789abcdef0123456789abcdef";
  const raw = JSON.stringify(envelope({ statuses: [] }));
  const bytes = new TextEncoder().encode(raw);
  const withHeader = (value: string | undefined, name = WHATSAPP_SIGNATURE_HEADER) =>
    webhookRequest({ headers: value === undefined ? {} : { [name]: value }, body: bytes });
  const verify = (value: string | undefined, name?: string) =>
    whatsappInbound.verify(withHeader(value, name), options({ appSecret: secret }));

  it("accepts sha256=<lower-case hex> of the raw body, under any header-name case", async () => {
    const hex = await hmacSha256Hex(secret, bytes);
    expect(await verify(`sha256=${hex}`)).toBe(true);
    expect(await verify(`sha256=${hex}`, "X-Hub-Signature-256")).toBe(true);
  });

  it.each([
    ["a missing header", () => undefined],
    ["an empty header", () => ""],
    ["the bare hex, without sha256=", (hex: string) => hex],
    ["an upper-case prefix", (hex: string) => `SHA256=${hex}`],
    ["upper-case hex", (hex: string) => `sha256=${hex.toUpperCase()}`],
    ["the hex cut short", (hex: string) => `sha256=${hex.slice(0, 63)}`],
    ["the hex with a character more", (hex: string) => `sha256=${hex}0`],
    ["spaces around the hex", (hex: string) => `sha256= ${hex}`],
    ["the legacy sha1= form", (hex: string) => `sha1=${hex.slice(0, 40)}`],
    ["a second signature after a comma", (hex: string) => `sha256=${hex},sha256=${hex}`],
  ])("refuses %s", async (_what, form) => {
    const hex = await hmacSha256Hex(secret, bytes);
    expect(await verify(form(hex))).toBe(false);
  });

  it("ignores the legacy X-Hub-Signature header: only the SHA-256 one counts", async () => {
    const hex = await hmacSha256Hex(secret, bytes);
    expect(await verify(`sha256=${hex}`, "x-hub-signature")).toBe(false);
  });

  it("is over the bytes as sent: a pretty-printed body verifies, its re-serialisation would not", async () => {
    const pretty = JSON.stringify(JSON.parse(raw), null, 2);
    const request = await signed(pretty, secret);
    expect(await whatsappInbound.verify(request, options({ appSecret: secret }))).toBe(true);
    const reserialised = webhookRequest({
      headers: { [WHATSAPP_SIGNATURE_HEADER]: request.header(WHATSAPP_SIGNATURE_HEADER) ?? "" },
      body: JSON.stringify(JSON.parse(pretty)),
    });
    expect(await whatsappInbound.verify(reserialised, options({ appSecret: secret }))).toBe(false);
  });

  it("refuses everything for a connection without appSecret, even a signature with an empty key", async () => {
    const hex = await hmacSha256Hex(secret, bytes);
    expect(await whatsappInbound.verify(withHeader(`sha256=${hex}`), options())).toBe(false);
    // Options made by hand, around the schema: an empty secret is no secret either.
    const handMade = { ...options(), appSecret: "" };
    expect(await whatsappInbound.verify(withHeader(`sha256=${hex}`), handMade)).toBe(false);
  });
});

describe("subscription handshake", () => {
  const verifyToken = "meta-verify-token-42";
  const handshake = (query: Record<string, string>, method = "GET", token = verifyToken) =>
    whatsappInbound.handshake?.(webhookRequest({ method, query }), options({ verifyToken: token }));
  const valid = {
    "hub.mode": "subscribe",
    "hub.verify_token": verifyToken,
    "hub.challenge": "1158201444",
  };

  it("answers the challenge when the verify token matches", () => {
    expect(handshake(valid)).toBe("1158201444");
  });

  it.each([
    ["a wrong token", { ...valid, "hub.verify_token": "meta-verify-token-43" }],
    ["a token that is a prefix", { ...valid, "hub.verify_token": "meta-verify-token-4" }],
    ["an empty token", { ...valid, "hub.verify_token": "" }],
    ["no token", { "hub.mode": "subscribe", "hub.challenge": "1158201444" }],
    ["another mode", { ...valid, "hub.mode": "unsubscribe" }],
    ["no mode", { "hub.verify_token": verifyToken, "hub.challenge": "1158201444" }],
    ["no challenge", { "hub.mode": "subscribe", "hub.verify_token": verifyToken }],
    ["an empty challenge", { ...valid, "hub.challenge": "" }],
    ["a challenge with markup and spaces", { ...valid, "hub.challenge": "<b>hi there</b>" }],
    ["a challenge of 257 characters", { ...valid, "hub.challenge": "1".repeat(257) }],
  ])("answers nothing to %s", (_what, query) => {
    expect(handshake(query)).toBeUndefined();
  });

  it("answers nothing to a POST, nor for a connection without verifyToken", () => {
    expect(handshake(valid, "POST")).toBeUndefined();
    expect(
      whatsappInbound.handshake?.(webhookRequest({ method: "GET", query: valid }), options()),
    ).toBeUndefined();
  });

  it("answers no token but the connection's own (property)", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (token) => {
        fc.pre(token !== verifyToken);
        expect(handshake({ ...valid, "hub.verify_token": token })).toBeUndefined();
      }),
    );
  });
});

describe("parseWhatsAppWebhook, Meta's quirks", () => {
  const value = (extra: object) => envelope({ messaging_product: "whatsapp", ...extra });
  const statusItem = (status: string, at: number) => ({
    id: SENT_WAMID,
    status,
    timestamp: String(at),
    recipient_id: "16505551234",
  });

  it("reads a read that arrives without delivered as read, which moves the message forward", () => {
    const events = parseWhatsAppWebhook(
      value({ statuses: [statusItem("sent", 10), statusItem("read", 12)] }),
    );
    expect(events.map((event) => event.kind === "delivery_status" && event.status)).toEqual([
      "sent",
      "read",
    ]);
    expect(movesForward("sent", "read")).toBe(true);
  });

  it("keeps a BSUID sender as it is, never as a phone number", () => {
    const [event] = parseWhatsAppWebhook(
      value({
        messages: [
          {
            from: "BR.1502576394655843",
            id: "wamid.bsuid-tap",
            timestamp: "1775000000",
            type: "interactive",
            interactive: { type: "button_reply", button_reply: { id: "yes", title: "Yes" } },
          },
        ],
      }),
    );
    expect(event).toMatchObject({
      kind: "button_reply",
      from: "BR.1502576394655843",
      buttonId: "yes",
    });
  });

  it("prefers the phone number to the BSUID when a tap has both", () => {
    const [event] = parseWhatsAppWebhook(
      value({
        messages: [
          {
            from: "16505551234",
            from_user_id: "US.13491208655302741918",
            id: "wamid.both",
            timestamp: "1775000000",
            type: "button",
            button: { payload: "yes", text: "Yes" },
          },
        ],
      }),
    );
    expect(event).toMatchObject({ kind: "button_reply", from: "16505551234" });
  });

  it("names a status's recipient by its BSUID when Meta gives no phone number", () => {
    const [event] = parseWhatsAppWebhook(
      value({
        statuses: [
          {
            id: SENT_WAMID,
            status: "delivered",
            timestamp: "10",
            recipient_user_id: "BR.1502576394655843",
          },
        ],
      }),
    );
    expect(event).toMatchObject({ kind: "delivery_status", recipient: "BR.1502576394655843" });
  });

  it("reads a timestamp given as a number", () => {
    const [event] = parseWhatsAppWebhook(
      value({ statuses: [{ ...statusItem("sent", 0), timestamp: 1714510001 }] }),
    );
    expect(event).toMatchObject({ kind: "delivery_status", at: new Date(1714510001_000) });
  });

  it("ignores a malformed item with a reason and still reads its neighbours", () => {
    const events = parseWhatsAppWebhook(
      value({
        messages: [
          42,
          {
            id: "wamid.no-button-id",
            from: "1",
            timestamp: "1",
            type: "interactive",
            interactive: { type: "button_reply", button_reply: { title: "Yes" } },
          },
          {
            id: "wamid.no-time",
            from: "1",
            timestamp: "yesterday",
            type: "button",
            button: { payload: "p" },
          },
          { id: "wamid.no-sender", timestamp: "1", type: "button", button: { payload: "p" } },
          { id: "wamid.ok", from: "1", timestamp: "1", type: "button", button: { payload: "p" } },
        ],
        statuses: [{ id: SENT_WAMID, status: "deleted", timestamp: "1" }, { status: "read" }],
      }),
    );
    expect(events).toEqual([
      { kind: "ignored", reason: "message item is not an object" },
      {
        kind: "ignored",
        providerEventId: "wamid.no-button-id",
        reason: "button_reply tap not understood: interactive.button_reply.id",
      },
      {
        kind: "ignored",
        providerEventId: "wamid.no-time",
        reason: "template button tap not understood: timestamp",
      },
      {
        kind: "ignored",
        providerEventId: "wamid.no-sender",
        reason: "template button tap without a sender",
      },
      {
        kind: "button_reply",
        providerEventId: "wamid.ok",
        from: "1",
        buttonId: "p",
        at: new Date(1000),
      },
      {
        kind: "ignored",
        providerEventId: `${SENT_WAMID}:deleted`,
        reason: 'unsupported status: "deleted"',
      },
      { kind: "ignored", reason: "status not understood: id, timestamp" },
    ]);
  });

  it("keeps a failed status's error code and texts, without the duplicate title", () => {
    const [event] = parseWhatsAppWebhook(
      value({
        statuses: [
          {
            ...statusItem("failed", 1),
            errors: [
              { code: 131026, title: "Message undeliverable", message: "Message undeliverable" },
            ],
          },
        ],
      }),
    );
    expect(event).toMatchObject({ error: { code: "131026", message: "Message undeliverable" } });
  });

  it("ignores errors Meta reports on the change itself, one event each", () => {
    const events = parseWhatsAppWebhook(
      value({ errors: [{ code: 131000, title: "Something went wrong" }, "?"] }),
    );
    expect(events).toEqual<ParsedInbound[]>([
      { kind: "ignored", reason: 'error not tied to a message: 131000 "Something went wrong"' },
      { kind: "ignored", reason: "error not tied to a message" },
    ]);
  });

  it.each([
    ["null", null, "not a WhatsApp Cloud API webhook body"],
    [
      "another object's webhook",
      { object: "page", entry: [] },
      'webhook for another object: "page"',
    ],
    ["an entry without changes", { entry: [{ id: "1" }] }, "entry without a list of changes"],
    ["a change that is no object", { entry: [{ changes: ["x"] }] }, "change item is not an object"],
    [
      "a value with nothing in it",
      envelope({ messaging_product: "whatsapp" }),
      "messages change with no messages or statuses",
    ],
    [
      "messages that are no list",
      envelope({ messages: { id: "x" } }),
      "value.messages is not a list",
    ],
  ])("answers %s with one ignored event", (_what, body, reason) => {
    expect(parseWhatsAppWebhook(body)).toEqual([{ kind: "ignored", reason }]);
  });

  it("gives no event for a body with no items", () => {
    expect(parseWhatsAppWebhook({ object: "whatsapp_business_account", entry: [] })).toEqual([]);
  });

  it("bounds and quotes provider text in a reason", () => {
    const [event] = parseWhatsAppWebhook(
      value({ messages: [{ id: "wamid.x", type: `image\n${"x".repeat(500)}` }] }),
    );
    expect(event?.kind).toBe("ignored");
    const reason = event?.kind === "ignored" ? event.reason : "";
    expect(reason).not.toContain("\n");
    expect(reason.length).toBeLessThan(120);
  });
});
