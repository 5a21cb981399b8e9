import { type ButtonMessage, createButtonMessage, WHATSAPP_CLOUD_LIMITS } from "@replykit/core";
import { sendContext as context } from "@replykit/http-transport/testing";
import { startZapperSimulator, type ZapperSimulator } from "@replykit/provider-simulator";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createZapperChannel } from "../src/index.js";
import { lastAccepted } from "./simulated-channel.js";

let simulator: ZapperSimulator;
beforeAll(async () => {
  simulator = await startZapperSimulator();
});
afterAll(() => simulator.close());

// Pieces that stress code-unit counting and JSON: astral letters, emoji with skin tones and
// ZWJ sequences, flags, combining marks, CJK, quotes and backslashes.
const tricky = fc.constantFrom(
  "𝒜",
  "𝟘",
  "👍",
  "👋🏽",
  "👨‍👩‍👧",
  "🇧🇷",
  "e\u0301",
  "n\u0303",
  "\u0308",
  "你好",
  "ç",
  '"',
  "\\",
  "\n",
  " ",
);
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 4 }) },
  { weight: 2, arbitrary: tricky },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 8 }) },
);

/** Joins pieces and cuts the result to `max` UTF-16 code units, on a code point boundary. */
const cutTo = (max: number) => (pieces: readonly string[]) => {
  const points = Array.from(pieces.join(""));
  let length = points.join("").length;
  while (length > max) length -= points.pop()?.length ?? length;
  return points.join("");
};

/** A text of at most `max` code units: often short, sometimes right at the limit. */
const text = (max: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.array(piece, { minLength: 1, maxLength: 6 }).map(cutTo(max)) },
    { weight: 1, arbitrary: fc.array(piece, { minLength: max, maxLength: max }).map(cutTo(max)) },
  );

const limits = WHATSAPP_CLOUD_LIMITS;
const buttonsArbitrary = fc.uniqueArray(
  fc.record({ id: text(limits.buttonId).map((id) => id.trim()), title: text(limits.buttonTitle) }),
  {
    minLength: 1,
    maxLength: 3,
    selector: (button) => button.id,
  },
);

const messages = fc
  .record(
    {
      header: text(limits.header),
      body: text(limits.body),
      footer: text(limits.footer),
      buttons: buttonsArbitrary,
    },
    { requiredKeys: ["body", "buttons"] },
  )
  .map((input) => createButtonMessage(input))
  .filter((built): built is { ok: true; value: ButtonMessage } => built.ok)
  .map((built) => built.value);

const recipients = fc.constantFrom(
  "5511999999999",
  "+55 11 99999-9999",
  "5511999999999@s.whatsapp.net",
  "123456789012345@lid",
);

it("every valid ButtonMessage is accepted by the ZapperAPI simulator exactly as built", async () => {
  const channel = createZapperChannel({
    instanceId: simulator.credentials.instanceId,
    apiKey: simulator.credentials.apiKey,
    baseUrl: simulator.baseUrl,
  });
  await fc.assert(
    fc.asyncProperty(messages, recipients, async (message, recipient) => {
      simulator.clear();
      const receipt = await channel.send(recipient, message, context());
      expect(receipt.providerMessageId).toBe(lastAccepted(simulator));
      expect(simulator.received).toHaveLength(1);
      expect(simulator.received[0]?.body).toStrictEqual({
        jid: recipient.startsWith("+") ? "5511999999999" : recipient,
        ...(message.header === undefined ? {} : { title: message.header }),
        body: message.body,
        ...(message.footer === undefined ? {} : { footer: message.footer }),
        buttons: message.buttons.map((button) => ({
          type: "reply",
          displayText: button.title,
          id: button.id,
        })),
      });
    }),
    { numRuns: 60 },
  );
});
