import {
  type ButtonMessage,
  type ButtonMessageInput,
  createButtonMessage,
  WHATSAPP_CLOUD_LIMITS,
} from "@replykit/core";
import { sendContext as context } from "@replykit/http-transport/testing";
import { startZapiSimulator, type ZapiSimulator } from "@replykit/provider-simulator";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createZapiChannel } from "../src/index.js";
import { simulatorOptions } from "./support.js";

// Pieces that stress encoders: astral emoji, ZWJ sequences, combining marks, CJK, RTL.
const tricky = fc.constantFrom("👍", "👩‍💻", "𝒜", "e\u0301", "你好", "ç", "Ω", "ش", "\u200d", " ");
const unit = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: tricky },
);

/** Drops whole code points from the end until the text fits `max` UTF-16 code units. */
function fitCodeUnits(text: string, max: number): string {
  const points = Array.from(text);
  while (points.join("").length > max) points.pop();
  return points.join("");
}

// Short texts, and texts filled right up to the limit.
const text = (max: number) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.string({ unit, minLength: 1, maxLength: 40 }).map((t) => fitCodeUnits(t, max)),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("a", "👍", "e\u0301", "你")
        .map((piece) => fitCodeUnits(piece.repeat(max), max)),
    },
  );

const limits = WHATSAPP_CLOUD_LIMITS;
const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });

function messageInputs(withHeaderAndFooter: boolean): fc.Arbitrary<ButtonMessageInput> {
  return fc.record({
    header: withHeaderAndFooter ? optional(text(limits.header)) : fc.constant(undefined),
    body: text(limits.body),
    footer: withHeaderAndFooter ? optional(text(limits.footer)) : fc.constant(undefined),
    buttons: fc.uniqueArray(
      fc.record({
        // Meta refuses whitespace around an id; trimming keeps most candidates valid.
        id: text(limits.buttonId).map((id) => id.trim()),
        title: text(limits.buttonTitle),
      }),
      { minLength: 1, maxLength: 3, selector: (button) => button.id },
    ),
  });
}

/** Only what `createButtonMessage` accepts: the property is about valid messages. */
const validMessages = (withHeaderAndFooter: boolean): fc.Arbitrary<ButtonMessage> =>
  messageInputs(withHeaderAndFooter)
    .map((input) => createButtonMessage(input))
    .filter((result) => result.ok)
    .map((result) => {
      if (!result.ok) throw new Error("unreachable");
      return result.value;
    });

describe("every valid ButtonMessage is accepted by the Z-API simulator", () => {
  let simulator: ZapiSimulator;
  beforeAll(async () => {
    simulator = await startZapiSimulator();
  });
  afterAll(() => simulator.close());

  it("with send-button-actions, carrying exactly the message's fields", async () => {
    const channel = createZapiChannel(simulatorOptions(simulator));
    await fc.assert(
      fc.asyncProperty(validMessages(true), async (message) => {
        simulator.clear();
        const receipt = await channel.send("5511999999999", message, context());
        const [request] = simulator.received;
        expect(simulator.received).toHaveLength(1);
        expect(request?.response).toMatchObject({ kind: "response", status: 200 });
        expect(request?.response).toMatchObject({ body: { messageId: receipt.providerMessageId } });
        expect(request?.body).toStrictEqual({
          phone: "5511999999999",
          ...(message.header === undefined ? {} : { title: message.header }),
          message: message.body,
          ...(message.footer === undefined ? {} : { footer: message.footer }),
          buttonActions: message.buttons.map((button) => ({
            id: button.id,
            type: "REPLY",
            label: button.title,
          })),
        });
      }),
      { numRuns: 60 },
    );
  });

  it("with send-button-list, for messages without header or footer", async () => {
    const channel = createZapiChannel({ ...simulatorOptions(simulator), endpoint: "button-list" });
    await fc.assert(
      fc.asyncProperty(validMessages(false), async (message) => {
        simulator.clear();
        await channel.send("5511999999999", message, context());
        const [request] = simulator.received;
        expect(request?.response).toMatchObject({ kind: "response", status: 200 });
        expect(request?.body).toStrictEqual({
          phone: "5511999999999",
          message: message.body,
          buttonList: {
            buttons: message.buttons.map((button) => ({ id: button.id, label: button.title })),
          },
        });
      }),
      { numRuns: 60 },
    );
  });
});
