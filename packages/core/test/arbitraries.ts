import fc from "fast-check";
import type { ButtonMessageInput, TextLimits } from "../src/index.js";

// Pieces chosen to sit on the edges of the rules: whitespace that `trim` removes (space,
// tab, NBSP, ideographic space, newline), one that it keeps (zero-width joiner), emoji and
// astral letters (2 code units), and a combining mark (2 code points, 1 grapheme).
const piece = fc.constantFrom(
  "a",
  "Z",
  "7",
  "-",
  " ",
  "\t",
  "\u00a0",
  "\u3000",
  "\n",
  "\u200d",
  "👍",
  "𝒜",
  "e\u0301",
  "你",
);

export const text = (maxPieces: number): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.array(piece, { maxLength: maxPieces }).map((parts) => parts.join("")),
    },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: maxPieces }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: maxPieces }) },
  );

/** Titles and ids drawn often from a small pool, so duplicates (also after trimming) occur. */
const repeating = (maxPieces: number) =>
  fc.oneof(text(maxPieces), fc.constantFrom("Yes", " Yes", "Yes ", "No", "no"));

export const buttonInput = (maxPieces: number) =>
  fc.record({ id: repeating(maxPieces), title: repeating(maxPieces) });

export const messageInput = (maxPieces: number, maxButtons = 6): fc.Arbitrary<ButtonMessageInput> =>
  fc.record(
    {
      header: text(maxPieces),
      body: text(maxPieces),
      footer: text(maxPieces),
      buttons: fc.array(buttonInput(maxPieces), { maxLength: maxButtons }),
    },
    { requiredKeys: ["body", "buttons"] },
  );

export const smallLimits: fc.Arbitrary<TextLimits> = fc.record({
  buttonTitle: fc.integer({ min: 1, max: 8 }),
  buttonId: fc.integer({ min: 1, max: 8 }),
  body: fc.integer({ min: 1, max: 12 }),
  header: fc.integer({ min: 1, max: 8 }),
  footer: fc.integer({ min: 1, max: 8 }),
});

/** A input that satisfies every invariant under the default (WhatsApp Cloud) limits. */
export const validMessageInput: fc.Arbitrary<ButtonMessageInput> = fc
  .record(
    {
      header: fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
      body: fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }),
      footer: fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }),
      buttons: fc.uniqueArray(
        fc.record({
          id: fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
          title: fc.string({ unit: "grapheme", minLength: 1, maxLength: 9 }),
        }),
        { minLength: 1, maxLength: 3, selector: (button) => button.id },
      ),
    },
    { requiredKeys: ["body", "buttons"] },
  )
  .filter((input) => {
    const blank = (value: string) => value.trim() === "";
    const titles = input.buttons.map((button) => button.title.trim());
    return (
      !blank(input.body) &&
      (input.header === undefined || (!blank(input.header) && input.header.length <= 60)) &&
      (input.footer === undefined || (!blank(input.footer) && input.footer.length <= 60)) &&
      input.body.length <= 1024 &&
      new Set(titles).size === titles.length &&
      input.buttons.every(
        (button) =>
          !blank(button.title) &&
          button.title.length <= 20 &&
          button.id.trim() === button.id &&
          !blank(button.id) &&
          button.id.length <= 256,
      )
    );
  });
