import type { ParsedInbound, WebhookRequest } from "@replykit/core";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  optionsSchema,
  parseZapiWebhook,
  type ResolvedZapiOptions,
  zapiDriver,
  zapiInbound,
} from "../src/index.js";
import { RECEIVED_AT, ZAPI_FIXTURES } from "./inbound-fixtures.js";

const SECRET = "zapi-webhook-secret-0123456789abcdef";

function options(webhookSecret?: string): ResolvedZapiOptions {
  return optionsSchema.parse({
    instanceId: "3C01A-instance",
    instanceToken: "F00D-instance-token",
    clientToken: "client-token-secret",
    ...(webhookSecret === undefined ? {} : { webhookSecret }),
  });
}

function request(
  init: { pathSecret?: string; headers?: Record<string, string> } = {},
): WebhookRequest {
  const headers = new Map(
    Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return {
    method: "POST",
    header: (name) => headers.get(name.toLowerCase()),
    query: new URLSearchParams(),
    rawBody: new TextEncoder().encode(JSON.stringify(ZAPI_FIXTURES[0]?.body)),
    ...(init.pathSecret === undefined ? {} : { pathSecret: init.pathSecret }),
  };
}

const parse = (body: unknown) => parseZapiWebhook(body, RECEIVED_AT);

/** Every field of the union present with its type; what a consumer may rely on. */
function expectWellFormed(event: ParsedInbound): void {
  const nonEmpty = (value: unknown) => typeof value === "string" && value !== "";
  const validDate = (value: unknown) => value instanceof Date && !Number.isNaN(value.getTime());
  switch (event.kind) {
    case "button_reply":
      expect(nonEmpty(event.providerEventId) && nonEmpty(event.from)).toBe(true);
      expect(nonEmpty(event.buttonId) && validDate(event.at)).toBe(true);
      return;
    case "delivery_status":
      expect(nonEmpty(event.providerEventId) && nonEmpty(event.providerMessageId)).toBe(true);
      expect(["accepted", "sent", "delivered", "read", "failed"]).toContain(event.status);
      expect(validDate(event.at)).toBe(true);
      return;
    case "ignored":
      expect(nonEmpty(event.reason)).toBe(true);
  }
}

describe("Z-API webhook fixtures", () => {
  it.each(ZAPI_FIXTURES.map((fixture) => [`${fixture.name} (${fixture.confidence})`, fixture]))(
    "%s",
    (_name, fixture) => {
      // Through JSON, as the server hands the body over.
      const body = JSON.parse(JSON.stringify(fixture.body));
      expect(parse(body)).toStrictEqual(fixture.expected);
      expect(zapiInbound.parse(body, RECEIVED_AT)).toStrictEqual(fixture.expected);
    },
  );

  it("parses a redelivered body to equal events", () => {
    for (const fixture of ZAPI_FIXTURES) {
      expect(parse(structuredClone(fixture.body))).toStrictEqual(parse(fixture.body));
    }
  });

  it("the driver's parse gives the current time to an event whose body has none", () => {
    vi.useFakeTimers({ now: new Date("2026-05-06T07:08:09.000Z"), toFake: ["Date"] });
    const body = {
      type: "DeliveryCallback",
      messageId: "A20DA9C0183A2D35A260F53F5D2B9244",
      phone: "554499999999",
    };
    expect(zapiDriver.inbound?.parse(body)).toStrictEqual([
      {
        kind: "delivery_status",
        providerEventId: "A20DA9C0183A2D35A260F53F5D2B9244:accepted",
        providerMessageId: "A20DA9C0183A2D35A260F53F5D2B9244",
        status: "accepted",
        recipient: "554499999999",
        at: new Date("2026-05-06T07:08:09.000Z"),
      },
    ]);
  });

  afterEach(() => {
    vi.useRealTimers();
  });
});

describe("Z-API webhook parsing", () => {
  const token = fc.stringMatching(/^[A-Za-z0-9@._-]{1,40}$/);

  it("reads any well-formed tap: button id, title, sender and replied-to id as given (property)", () => {
    fc.assert(
      fc.property(
        fc.record({
          messageId: token,
          phone: token,
          buttonId: token,
          message: fc.string(),
          referenceMessageId: token,
          momment: fc.integer({ min: 0, max: 4_102_444_800_000 }),
        }),
        ({ messageId, phone, buttonId, message, referenceMessageId, momment }) => {
          const body = {
            type: "ReceivedCallback",
            fromMe: false,
            messageId,
            phone,
            momment,
            referenceMessageId,
            buttonsResponseMessage: { buttonId, message },
          };
          expect(parse(body)).toStrictEqual([
            {
              kind: "button_reply",
              providerEventId: messageId,
              from: phone,
              buttonId,
              buttonTitle: message,
              replyToProviderMessageId: referenceMessageId,
              at: new Date(momment),
            },
          ]);
          expect(parse({ ...body, fromMe: true })).toStrictEqual([
            { kind: "ignored", providerEventId: messageId, reason: "own message echoed" },
          ]);
        },
      ),
    );
  });

  it("gives one status per distinct id of a MessageStatusCallback, in order (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(token, { maxLength: 20 }),
        fc.constantFrom(
          ["SENT", "sent"],
          ["RECEIVED", "delivered"],
          ["READ", "read"],
          ["READ_BY_ME", "read"],
          ["PLAYED", "read"],
        ),
        (ids, [given, status]) => {
          const events = parse({ type: "MessageStatusCallback", status: given, ids, momment: 1 });
          expect(events).toHaveLength(ids.length);
          expect(events).toStrictEqual(
            ids.map((id) => ({
              kind: "delivery_status",
              providerEventId: `${id}:${status}`,
              providerMessageId: id,
              status,
              at: new Date(1),
            })),
          );
          // An id listed twice is one status change, not two.
          expect(
            parse({ type: "MessageStatusCallback", status: given, ids: [...ids, ...ids] }),
          ).toHaveLength(ids.length);
        },
      ),
    );
  });

  it("never throws on arbitrary JSON, and gives well-formed events, the same each time (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const events = parse(body);
        for (const event of events) expectWellFormed(event);
        expect(parse(body)).toStrictEqual(events);
      }),
    );
  });

  it("never throws on Z-API-shaped bodies with random values (property)", () => {
    const anyValue = fc.oneof(fc.jsonValue(), token, fc.constant(undefined));
    const callback = fc.record(
      {
        type: fc.oneof(
          fc.constantFrom("ReceivedCallback", "MessageStatusCallback", "DeliveryCallback"),
          anyValue,
        ),
        messageId: anyValue,
        phone: anyValue,
        fromMe: fc.oneof(fc.boolean(), anyValue),
        momment: fc.oneof(fc.integer(), fc.double(), fc.string(), anyValue),
        referenceMessageId: anyValue,
        buttonsResponseMessage: fc.oneof(
          fc.record({ buttonId: anyValue, message: anyValue }, { requiredKeys: [] }),
          anyValue,
        ),
        status: fc.oneof(
          fc.constantFrom("SENT", "RECEIVED", "READ", "READ_BY_ME", "PLAYED", "toString"),
          anyValue,
        ),
        ids: fc.oneof(fc.array(anyValue), anyValue),
        id: anyValue,
        error: anyValue,
        errorCode: anyValue,
        text: anyValue,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(callback, (body) => {
        const events = parse(body);
        for (const event of events) expectWellFormed(event);
        expect(parse(structuredClone(body))).toStrictEqual(events);
      }),
      { numRuns: 500 },
    );
  });

  it("keeps a DeliveryCallback's error on one line, bounded", () => {
    const [event] = parse({
      type: "DeliveryCallback",
      messageId: "M1",
      error: `line one\nline two ${"x".repeat(1000)}`,
      errorCode: "not a code!",
    });
    expect(event).toMatchObject({ status: "failed", error: { code: "send_failed" } });
    const message = event?.kind === "delivery_status" ? (event.error?.message ?? "") : "";
    expect(message.startsWith("line one line two x")).toBe(true);
    expect(Array.from(message)).toHaveLength(300);
  });

  it("ignores what is not a Z-API callback, saying why", () => {
    expect(parse(undefined)).toStrictEqual([
      { kind: "ignored", reason: "not a Z-API callback: no JSON body" },
    ]);
    expect(parse([buttonTapBody()])).toStrictEqual([
      { kind: "ignored", reason: "not a Z-API callback: an array" },
    ]);
    expect(parse({})).toStrictEqual([
      { kind: "ignored", reason: "a Z-API callback without a type" },
    ]);
    expect(parse({ type: "MessageStatusCallback", status: "READ" })).toStrictEqual([
      { kind: "ignored", reason: "a message status without message ids" },
    ]);
    expect(parse({ type: "MessageStatusCallback", status: "READ", ids: ["", 42] })).toStrictEqual([
      { kind: "ignored", reason: "a message status without message ids" },
    ]);
    expect(parse({ type: "MessageStatusCallback", status: "READ", ids: [] })).toStrictEqual([]);
    expect(parse({ type: "DeliveryCallback", zaapId: "Z1" })).toStrictEqual([
      { kind: "ignored", reason: "a send callback without messageId" },
    ]);
  });
});

function buttonTapBody(): Record<string, unknown> {
  return {
    type: "ReceivedCallback",
    messageId: "M1",
    phone: "5544999999999",
    fromMe: false,
    momment: 1,
    buttonsResponseMessage: { buttonId: "yes", message: "Yes" },
  };
}

describe("Z-API webhook verification (URL secret)", () => {
  const verify = (webhookRequest: WebhookRequest, secret?: string) =>
    zapiInbound.verify(webhookRequest, options(secret));

  it("is the driver's inbound side", () => {
    expect(zapiDriver.inbound).toBe(zapiInbound);
  });

  it("accepts the configured secret in the URL path", async () => {
    expect(await verify(request({ pathSecret: SECRET }), SECRET)).toBe(true);
  });

  it("refuses a missing, empty or different path secret", async () => {
    expect(await verify(request(), SECRET)).toBe(false);
    expect(await verify(request({ pathSecret: "" }), SECRET)).toBe(false);
    expect(await verify(request({ pathSecret: `${SECRET}x` }), SECRET)).toBe(false);
    expect(await verify(request({ pathSecret: SECRET.slice(0, -1) }), SECRET)).toBe(false);
    expect(await verify(request({ pathSecret: SECRET.toUpperCase() }), SECRET)).toBe(false);
  });

  it("refuses any other path secret (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (given) => {
        fc.pre(given !== SECRET);
        expect(await verify(request({ pathSecret: given }), SECRET)).toBe(false);
      }),
    );
  });

  it("refuses everything for a connection without webhookSecret", async () => {
    expect(await verify(request({ pathSecret: SECRET }))).toBe(false);
    expect(await verify(request({ pathSecret: "" }))).toBe(false);
    expect(await verify(request())).toBe(false);
  });

  it("does not take the secret from a header: Z-API sends none", async () => {
    const headers = { authorization: `Bearer ${SECRET}`, "client-token": SECRET };
    expect(await verify(request({ headers }), SECRET)).toBe(false);
  });
});
