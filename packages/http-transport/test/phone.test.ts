import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { phoneDigits } from "../src/index.js";

describe("phoneDigits", () => {
  it.each([
    ["5511999999999", "5511999999999"],
    ["+5511999999999", "5511999999999"],
    ["+55 (11) 99999-9999", "5511999999999"],
    ["+55 11 99999-9999", "5511999999999"],
    ["55.11.99999.9999", "5511999999999"],
    ["(11) 99999-9999", "11999999999"],
    [" +1 555-123-4567 ", "15551234567"],
    ["+44\u00a020\t7946\u00a00958", "442079460958"],
    ["5511999999999\n", "5511999999999"],
    ["7", "7"],
  ])("reads the phone number %j as the digits %j", (recipient, digits) => {
    expect(phoneDigits(recipient)).toBe(digits);
  });

  it.each([
    "5511999999999@s.whatsapp.net",
    "+5511999999999@s.whatsapp.net",
    "123456789012345@lid",
    "120363019502650977@g.us",
    "120363019502650977-group",
    "++5511",
    "55+11",
    "5511abc",
    "+",
    "",
    " ( ) - . ",
    "٥٥١١٩٩٩",
  ])("is undefined for %j, which is not written as a phone number", (recipient) => {
    expect(phoneDigits(recipient)).toBeUndefined();
  });

  it("gives the digits of any number, however it is formatted (property)", () => {
    const separator = fc.constantFrom(" ", "\t", "-", ".", "(", ")", "\u00a0");
    const written = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.array(separator, { maxLength: 2 })), {
        minLength: 1,
        maxLength: 20,
      })
      .chain((parts) =>
        fc.tuple(
          fc.constant(parts.map(([digit]) => String(digit)).join("")),
          fc.boolean(),
          fc.constant(parts.map(([digit, before]) => `${before.join("")}${digit}`).join("")),
        ),
      );
    fc.assert(
      fc.property(written, ([digits, plus, body]) => {
        expect(phoneDigits(`${plus ? "+" : ""}${body}`)).toBe(digits);
      }),
    );
  });

  it("answers as the written-number pattern does, for any text (property)", () => {
    // The rule as first written, without the shortcut for digits only.
    const pattern = /^\+?[\d\s().-]*\d[\d\s().-]*$/;
    const reference = (recipient: string) => {
      const trimmed = recipient.trim();
      return pattern.test(trimmed) ? trimmed.replace(/\D/g, "") : undefined;
    };
    // The digits and the characters on either side of them in ASCII ("/" and ":"), the
    // separators, and a few that are not allowed.
    const piece = fc.constantFrom(
      "0",
      "5",
      "9",
      "/",
      ":",
      " ",
      "+",
      "(",
      ")",
      "-",
      ".",
      "a",
      "@",
      "\u0660",
    );
    const text = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(""));
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (recipient) => {
        expect(phoneDigits(recipient)).toBe(reference(recipient));
      }),
      { numRuns: 1000 },
    );
  });
});
