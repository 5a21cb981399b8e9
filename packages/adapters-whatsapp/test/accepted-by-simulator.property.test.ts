import {
  type ButtonMessageInput,
  createButtonMessage,
  WHATSAPP_CLOUD_LIMITS,
} from "@replykit/core";
import { sendContext } from "@replykit/http-transport/testing";
import { startWhatsAppSimulator, type WhatsAppSimulator } from "@replykit/provider-simulator";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWhatsAppChannel } from "../src/index.js";
import { lastOrganicRequest } from "./support.js";

// Characters that break naive length counting or encoding: emoji (surrogate pairs), ZWJ
// sequences, flags, astral letters, combining marks, CJK and non-breaking space.
const tricky = fc.constantFrom(
  "👍",
  "😀",
  "👨‍👩‍👧",
  "🇧🇷",
  "𝒜",
  "e\u0301",
  "\u0301",
  "ñ",
  "你",
  "ß",
  "\u00a0",
  " ",
);
const character = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: tricky },
);

/**
 * Text of at most `limit` UTF-16 code units that never splits a character; short mostly,
 * sometimes as long as the limit allows.
 */
function text(limit: number) {
  const fitting = (characters: string[]) => {
    let joined = "";
    for (const next of characters) {
      if (joined.length + next.length > limit) break;
      joined += next;
    }
    return joined;
  };
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.array(character, { minLength: 1, maxLength: limit }) },
      { weight: 1, arbitrary: fc.array(character, { minLength: limit, maxLength: limit }) },
    )
    .map(fitting);
}

const limits = WHATSAPP_CLOUD_LIMITS;
const button = fc.record({
  id: text(limits.buttonId).map((id) => id.trim()),
  title: text(limits.buttonTitle),
});
const messageInput: fc.Arbitrary<ButtonMessageInput> = fc.record(
  {
    header: text(limits.header),
    body: text(limits.body),
    footer: text(limits.footer),
    buttons: fc.uniqueArray(button, {
      minLength: 1,
      maxLength: 3,
      comparator: (a, b) => a.id === b.id || a.title.trim() === b.title.trim(),
    }),
  },
  { requiredKeys: ["body", "buttons"] },
);
// Whatever the generator still gets wrong (a blank text, say), the domain filters out:
// the property is about messages the domain calls valid.
const validMessage = messageInput
  .map((input) => ({ input, built: createButtonMessage(input) }))
  .filter(({ built }) => built.ok);

describe("every valid ButtonMessage is accepted by the WhatsApp simulator", () => {
  let simulator: WhatsAppSimulator;

  beforeAll(async () => {
    simulator = await startWhatsAppSimulator();
  });
  afterAll(() => simulator.close());

  it("sends it, gets a wamid back, and the simulator received exactly its fields", async () => {
    const channel = createWhatsAppChannel({
      accessToken: simulator.credentials.accessToken,
      phoneNumberId: simulator.credentials.phoneNumberId,
      baseUrl: simulator.baseUrl,
    });
    await fc.assert(
      fc.asyncProperty(validMessage, async ({ input, built }) => {
        if (!built.ok) throw new Error("filtered above");
        simulator.clear();
        const receipt = await channel.send("5511999999999", built.value, sendContext());

        const request = lastOrganicRequest(simulator);
        expect(request?.response).toMatchObject({ kind: "response", status: 200 });
        expect(request?.response).toMatchObject({
          body: { messages: [{ id: receipt.providerMessageId }] },
        });
        expect(request?.body).toEqual({
          messaging_product: "whatsapp",
          recipient_type: "individual",
          to: "5511999999999",
          type: "interactive",
          interactive: {
            type: "button",
            ...(input.header === undefined ? {} : { header: { type: "text", text: input.header } }),
            body: { text: input.body },
            ...(input.footer === undefined ? {} : { footer: { text: input.footer } }),
            action: {
              buttons: input.buttons.map(({ id, title }) => ({
                type: "reply",
                reply: { id, title },
              })),
            },
          },
        });
      }),
      { numRuns: 60 },
    );
  });
});
