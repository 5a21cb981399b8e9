import { describe, expect, it } from "vitest";
import { ignored, isRecord, kindOf, nonEmptyString, quoteWord } from "../src/index.js";

// The readers webhook parsers are built on: they answer for any value and never quote more
// of a provider's body than a short word.

describe("webhook body readers", () => {
  it("make an ignored event with its reason", () => {
    expect(ignored("unsupported message type: image")).toEqual({
      kind: "ignored",
      reason: "unsupported message type: image",
    });
  });

  it.each([
    [{}, true],
    [{ a: 1 }, true],
    [Object.create(null), true],
    [null, false],
    [undefined, false],
    [[], false],
    [[1], false],
    ["{}", false],
    [42, false],
  ])("say whether %j is a record: %j", (value, expected) => {
    expect(isRecord(value)).toBe(expected);
  });

  it.each([
    ["x", "x"],
    [" ", " "],
    ["", undefined],
    [null, undefined],
    [undefined, undefined],
    [7, undefined],
    [["x"], undefined],
  ])("read %j as the non-empty string %j", (value, expected) => {
    expect(nonEmptyString(value)).toBe(expected);
  });

  it.each([
    [undefined, "no JSON body"],
    [null, "null"],
    [[1, 2], "an array"],
    ["text", "a string"],
    [42, "a number"],
    [true, "a boolean"],
    [{ secret: "x" }, "a object"],
  ])("name the kind of %j as %j, never the value", (value, expected) => {
    expect(kindOf(value)).toBe(expected);
  });

  it("quote a provider's word on one line", () => {
    expect(quoteWord("image")).toBe('"image"');
    expect(quoteWord("two\nlines\t here")).toBe('"two lines here"');
  });

  it("keep a word of 64 code points whole and cut a longer one to 63 and an ellipsis", () => {
    const emoji = "👍".repeat(64);
    expect(quoteWord(emoji)).toBe(JSON.stringify(emoji));
    expect(quoteWord(`${emoji}x`)).toBe(JSON.stringify(`${"👍".repeat(63)}…`));
  });
});
