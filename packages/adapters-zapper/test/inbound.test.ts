import type { ParsedInbound, WebhookRequest } from "@replykit/core";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  optionsSchema,
  parseZapperWebhook,
  type ResolvedZapperOptions,
  zapperDriver,
  zapperInbound,
} from "../src/index.js";
import { RECEIVED_AT, ZAPPER_FIXTURES } from "./inbound-fixtures.js";

const SECRET = "zapper-webhook-secret-0123456789ab";

function options(webhookSecret?: string): ResolvedZapperOptions {
  return optionsSchema.parse({
    instanceId: "inst_abc",
    apiKey: "zapper-key-123",
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
    rawBody: new TextEncoder().encode(JSON.stringify(ZAPPER_FIXTURES[0]?.body)),
    ...(init.pathSecret === undefined ? {} : { pathSecret: init.pathSecret }),
  };
}

const parse = (body: unknown) => parseZapperWebhook(body, RECEIVED_AT);

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

const token = fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/);
const seconds = fc.integer({ min: 0, max: 4_102_444_800 });

/** One tap in each of the three shapes, with the same button, title and replied-to id. */
const TAP_SHAPES = {
  nativeFlow: (buttonId: string, title: string, stanzaId: string) => ({
    interactiveResponseMessage: {
      body: { text: title },
      nativeFlowResponseMessage: {
        name: "quick_reply",
        paramsJson: JSON.stringify({ id: buttonId }),
      },
      contextInfo: { stanzaId },
    },
  }),
  buttonsResponse: (buttonId: string, title: string, stanzaId: string) => ({
    buttonsResponseMessage: {
      selectedButtonId: buttonId,
      selectedDisplayText: title,
      contextInfo: { stanzaId },
    },
  }),
  templateButtonReply: (buttonId: string, title: string, stanzaId: string) => ({
    templateButtonReplyMessage: {
      selectedId: buttonId,
      selectedDisplayText: title,
      contextInfo: { stanzaId },
    },
  }),
} as const;
const tapShape = fc.constantFrom(...Object.values(TAP_SHAPES));

describe("ZapperAPI webhook fixtures", () => {
  it.each(ZAPPER_FIXTURES.map((fixture) => [`${fixture.name} (${fixture.confidence})`, fixture]))(
    "%s",
    (_name, fixture) => {
      // Through JSON, as the server hands the body over.
      const body = JSON.parse(JSON.stringify(fixture.body));
      expect(parse(body)).toStrictEqual(fixture.expected);
      expect(zapperInbound.parse(body, RECEIVED_AT)).toStrictEqual(fixture.expected);
    },
  );

  it("parses a redelivered body to equal events", () => {
    for (const fixture of ZAPPER_FIXTURES) {
      expect(parse(structuredClone(fixture.body))).toStrictEqual(parse(fixture.body));
    }
  });

  it("the driver's parse gives the current time to a status, whose body has none", () => {
    vi.useFakeTimers({ now: new Date("2026-05-06T07:08:09.000Z"), toFake: ["Date"] });
    const body = {
      type: "messages.update",
      key: { fromMe: true, id: "M1" },
      update: { status: 4 },
    };
    expect(zapperDriver.inbound?.parse(body)).toStrictEqual([
      {
        kind: "delivery_status",
        providerEventId: "M1:read",
        providerMessageId: "M1",
        status: "read",
        at: new Date("2026-05-06T07:08:09.000Z"),
      },
    ]);
  });

  afterEach(() => {
    vi.useRealTimers();
  });
});

describe("ZapperAPI webhook parsing", () => {
  it("reads a tap in each shape: button id, title, replied-to id, sender without @s.whatsapp.net (property)", () => {
    fc.assert(
      fc.property(
        tapShape,
        fc.record({
          id: token,
          phone: token,
          buttonId: token,
          title: fc.string(),
          stanzaId: token,
        }),
        seconds,
        (shape, { id, phone, buttonId, title, stanzaId }, timestamp) => {
          const body = {
            type: "messages.upsert",
            key: { remoteJid: `${phone}@s.whatsapp.net`, fromMe: false, id },
            messageTimestamp: timestamp,
            message: shape(buttonId, title, stanzaId),
          };
          const expected = {
            kind: "button_reply",
            providerEventId: id,
            from: phone,
            buttonId,
            buttonTitle: title,
            replyToProviderMessageId: stanzaId,
            at: new Date(timestamp * 1000),
          };
          expect(parse(body)).toStrictEqual([expected]);
          // The same instant as a protobuf Long, and as milliseconds.
          const long = { low: timestamp | 0, high: 0 };
          expect(parse({ ...body, messageTimestamp: long })).toStrictEqual([expected]);
          expect(parse({ ...body, messageTimestamp: timestamp * 1000 })).toStrictEqual(
            timestamp * 1000 >= 1e11
              ? [expected]
              : [{ ...expected, at: new Date(timestamp * 1e6) }],
          );
          // The session's own message is never a tap, whatever it holds.
          expect(parse({ ...body, key: { ...body.key, fromMe: true } })).toStrictEqual([
            { kind: "ignored", providerEventId: id, reason: "own message echoed" },
          ]);
        },
      ),
    );
  });

  it("maps every Baileys status, by number or name, to one status event keyed by id and status", () => {
    const table: readonly (readonly [unknown, string])[] = [
      [0, "failed"],
      ["ERROR", "failed"],
      [1, "accepted"],
      ["PENDING", "accepted"],
      [2, "sent"],
      ["SERVER_ACK", "sent"],
      [3, "delivered"],
      ["DELIVERY_ACK", "delivered"],
      [4, "read"],
      ["READ", "read"],
      [5, "read"],
      ["PLAYED", "read"],
    ];
    for (const [given, status] of table) {
      expect(
        parse({
          type: "messages.update",
          key: { fromMe: true, id: "M1" },
          update: { status: given },
        }),
      ).toStrictEqual([
        {
          kind: "delivery_status",
          providerEventId: `M1:${status}`,
          providerMessageId: "M1",
          status,
          at: RECEIVED_AT,
        },
      ]);
    }
    for (const given of [6, -1, 2.5, "3", "toString", true]) {
      const [event] = parse({
        type: "messages.update",
        key: { id: "M1" },
        update: { status: given },
      });
      expect(event?.kind).toBe("ignored");
    }
  });

  it("gives N events, in order, for N events in data[] or in an array body (property)", () => {
    const item = fc.oneof(
      fc.record({ id: token, buttonId: token, shape: tapShape }).map(({ id, buttonId, shape }) => ({
        type: "messages.upsert" as const,
        payload: {
          key: { remoteJid: "5511999999999@s.whatsapp.net", fromMe: false, id },
          messageTimestamp: 1,
          message: shape(buttonId, "Title", "S1"),
        },
      })),
      fc.record({ id: token, status: fc.integer({ min: 0, max: 5 }) }).map(({ id, status }) => ({
        type: "messages.update" as const,
        payload: { key: { fromMe: true, id }, update: { status } },
      })),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 15 }), (items) => {
        const one = items.flatMap(({ type, payload }) => parse({ type, ...payload }));
        expect(one).toHaveLength(items.length);
        expect(one.every((event) => event.kind !== "ignored")).toBe(true);
        expect(parse(items.map(({ type, payload }) => ({ type, ...payload })))).toStrictEqual(one);
        const upserts = items.filter(({ type }) => type === "messages.upsert");
        expect(
          parse({ type: "messages.upsert", data: upserts.map(({ payload }) => payload) }),
        ).toStrictEqual(upserts.flatMap(({ type, payload }) => parse({ type, ...payload })));
      }),
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

  it("never throws on ZapperAPI-shaped bodies with random values (property)", () => {
    const anyValue = fc.oneof(fc.jsonValue(), token, fc.constant(undefined));
    const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof(arbitrary, anyValue);
    const contextInfo = maybe(fc.record({ stanzaId: anyValue }, { requiredKeys: [] }));
    const message = maybe(
      fc.record(
        {
          interactiveResponseMessage: maybe(
            fc.record(
              {
                body: maybe(fc.record({ text: anyValue }, { requiredKeys: [] })),
                nativeFlowResponseMessage: maybe(
                  fc.record(
                    {
                      paramsJson: fc.oneof(
                        fc.jsonValue().map((value) => JSON.stringify(value)),
                        fc.string(),
                        anyValue,
                      ),
                    },
                    { requiredKeys: [] },
                  ),
                ),
                contextInfo,
              },
              { requiredKeys: [] },
            ),
          ),
          buttonsResponseMessage: maybe(
            fc.record(
              { selectedButtonId: anyValue, selectedDisplayText: anyValue, contextInfo },
              { requiredKeys: [] },
            ),
          ),
          templateButtonReplyMessage: maybe(
            fc.record(
              { selectedId: anyValue, selectedDisplayText: anyValue, contextInfo },
              { requiredKeys: [] },
            ),
          ),
          conversation: anyValue,
        },
        { requiredKeys: [] },
      ),
    );
    const payload = fc.record(
      {
        key: maybe(
          fc.record({ remoteJid: anyValue, fromMe: anyValue, id: anyValue }, { requiredKeys: [] }),
        ),
        messageTimestamp: fc.oneof(
          fc.integer(),
          fc.double(),
          fc.record({ low: fc.integer(), high: fc.integer() }),
          anyValue,
        ),
        message: fc.oneof(message, fc.record({ ephemeralMessage: fc.record({ message }) })),
        update: maybe(fc.record({ status: anyValue }, { requiredKeys: [] })),
        messages: anyValue,
      },
      { requiredKeys: [] },
    );
    const event = fc.record(
      {
        type: maybe(fc.constantFrom("messages.upsert", "messages.update", "MESSAGES_UPSERT")),
        event: anyValue,
        data: fc.oneof(payload, fc.array(payload, { maxLength: 4 }), anyValue),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.tuple(event, payload).map(([envelope, flat]) => ({ ...flat, ...envelope })),
      event,
      fc.array(event, { maxLength: 4 }),
    );
    fc.assert(
      fc.property(body, (generated) => {
        const events = parse(generated);
        for (const parsed of events) expectWellFormed(parsed);
        expect(parse(structuredClone(generated))).toStrictEqual(events);
      }),
      { numRuns: 500 },
    );
  });

  it("takes the event name from type or event, whichever is one, not Baileys' type: notify", () => {
    const payload = {
      key: { remoteJid: "5511999999999@s.whatsapp.net", fromMe: false, id: "M1" },
      messageTimestamp: 1,
      message: { buttonsResponseMessage: { selectedButtonId: "yes" } },
    };
    const tap = {
      kind: "button_reply",
      providerEventId: "M1",
      from: "5511999999999",
      buttonId: "yes",
      at: new Date(1000),
    };
    expect(parse({ event: "messages.upsert", type: "notify", ...payload })).toStrictEqual([tap]);
    expect(
      parse({ type: "MESSAGES_UPSERT", data: { messages: [payload], type: "notify" } }),
    ).toStrictEqual([tap]);
    expect(parse({ type: "notify", ...payload })).toStrictEqual([
      { kind: "ignored", reason: 'unsupported ZapperAPI event "notify"' },
    ]);
  });

  it("ignores what is not a ZapperAPI event, saying why", () => {
    expect(parse(undefined)).toStrictEqual([
      { kind: "ignored", reason: "not a ZapperAPI event: no JSON body" },
    ]);
    expect(parse("messages.upsert")).toStrictEqual([
      { kind: "ignored", reason: "not a ZapperAPI event: a string" },
    ]);
    expect(parse({ key: { id: "M1" } })).toStrictEqual([
      { kind: "ignored", reason: "a ZapperAPI event without a type" },
    ]);
    expect(parse({ type: "messages.upsert", key: { id: "M1" } })).toStrictEqual([
      { kind: "ignored", providerEventId: "M1", reason: "messages.upsert without a message" },
    ]);
    expect(parse({ type: "messages.update", update: { status: 3 } })).toStrictEqual([
      { kind: "ignored", reason: "a status update without key.id" },
    ]);
    expect(
      parse({
        type: "messages.upsert",
        key: { id: "M1" },
        message: { buttonsResponseMessage: { selectedButtonId: "yes" } },
      }),
    ).toStrictEqual([
      { kind: "ignored", providerEventId: "M1", reason: "button reply without key.remoteJid" },
    ]);
  });
});

describe("ZapperAPI webhook verification (Bearer secret or URL secret)", () => {
  const verify = (webhookRequest: WebhookRequest, secret?: string) =>
    zapperInbound.verify(webhookRequest, options(secret));

  it("is the driver's inbound side", () => {
    expect(zapperDriver.inbound).toBe(zapperInbound);
  });

  it("accepts Authorization: Bearer <webhookSecret>, the scheme in any case", async () => {
    for (const authorization of [`Bearer ${SECRET}`, `bearer ${SECRET}`, `BEARER  ${SECRET}`]) {
      expect(await verify(request({ headers: { authorization } }), SECRET)).toBe(true);
    }
  });

  it("accepts the webhookSecret as the URL's secret segment", async () => {
    expect(await verify(request({ pathSecret: SECRET }), SECRET)).toBe(true);
  });

  it("accepts either one when the other is wrong", async () => {
    const wrongHeader = { authorization: `Bearer ${SECRET}x` };
    expect(await verify(request({ headers: wrongHeader, pathSecret: SECRET }), SECRET)).toBe(true);
    const rightHeader = { authorization: `Bearer ${SECRET}` };
    expect(await verify(request({ headers: rightHeader, pathSecret: "wrong" }), SECRET)).toBe(true);
  });

  it("refuses a missing, malformed or different secret", async () => {
    const refused = [
      request(),
      request({ headers: { authorization: SECRET } }),
      request({ headers: { authorization: `Basic ${SECRET}` } }),
      request({ headers: { authorization: `Bearer ${SECRET} extra` } }),
      request({ headers: { authorization: `Bearer ${SECRET.slice(0, -1)}` } }),
      request({ headers: { authorization: `Bearer ${SECRET.toUpperCase()}` } }),
      request({ headers: { "x-webhook-secret": SECRET } }),
      request({ pathSecret: "" }),
      request({ pathSecret: `${SECRET}/` }),
    ];
    for (const webhookRequest of refused) expect(await verify(webhookRequest, SECRET)).toBe(false);
  });

  it("refuses any other Bearer token or path secret (property)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 80 }), async (given) => {
        fc.pre(given !== SECRET);
        expect(
          await verify(request({ headers: { authorization: `Bearer ${given}` } }), SECRET),
        ).toBe(false);
        expect(await verify(request({ pathSecret: given }), SECRET)).toBe(false);
      }),
    );
  });

  it("refuses everything for a connection without webhookSecret", async () => {
    expect(await verify(request({ headers: { authorization: `Bearer ${SECRET}` } }))).toBe(false);
    expect(await verify(request({ pathSecret: SECRET }))).toBe(false);
    expect(await verify(request({ pathSecret: "" }))).toBe(false);
    expect(await verify(request())).toBe(false);
  });
});
