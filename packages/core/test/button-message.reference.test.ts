import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { type ButtonMessageInput, createButtonMessage } from "../src/index.js";
import { messageInput, smallLimits, text, validMessageInput } from "./arbitraries.js";
import { referenceIssues } from "./reference-button-message.js";

// createButtonMessage checks a well-typed input's types by hand and its rules without
// allocating, and asks zod only about an input of the wrong types. Whatever path an input
// takes, the answer must be the reference's (the rules written plainly, types checked by
// zod): valid exactly when the reference finds nothing, and otherwise the same issues —
// codes, paths, messages, provider codes — in the same order.

/** Values of every type zod names differently in "received …". */
const wrongValue = fc.oneof(
  fc.constantFrom(null, undefined, 0, -1.5, Number.NaN, Number.POSITIVE_INFINITY, true),
  fc.constantFrom(Number.NEGATIVE_INFINITY, 10n, Symbol.for("x"), () => "x"),
  fc.constantFrom(new Date(0), [], ["a"], {}, Object.create(null) as object, new Map()),
);

const maybeText = (maxPieces: number) =>
  fc.oneof({ weight: 4, arbitrary: text(maxPieces) }, { weight: 1, arbitrary: wrongValue });

/** A button as an untyped caller may send it: well formed, half formed, or not an object. */
const untypedButton = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record(
      {
        id: fc.oneof(maybeText(4), fc.constantFrom("Yes", " Yes", "a")),
        title: fc.oneof(maybeText(4), fc.constantFrom("Yes", " Yes ", "No")),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: wrongValue },
  // An array with the fields of a button: of the wrong type, yet its texts are still read.
  { weight: 1, arbitrary: fc.constant(Object.assign(["x"], { id: "arr", title: "Arr" })) },
);

const untypedInput: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        header: maybeText(4),
        body: maybeText(8),
        footer: maybeText(4),
        buttons: fc.oneof(
          { weight: 6, arbitrary: fc.array(untypedButton, { maxLength: 6 }) },
          { weight: 1, arbitrary: wrongValue },
        ),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: wrongValue },
);

const optionalLimits = fc.option(smallLimits, { nil: undefined });

function agreesWithReference(input: unknown, limits: Parameters<typeof referenceIssues>[1]) {
  const result = createButtonMessage(
    input as ButtonMessageInput,
    limits === undefined ? {} : { limits },
  );
  const expected = referenceIssues(input, limits);
  expect(result.ok ? [] : result.issues).toEqual(expected);
  expect(result.ok).toBe(expected.length === 0);
}

describe("createButtonMessage agrees with the reference rules", () => {
  test.prop([messageInput(10), optionalLimits], { numRuns: 500 })(
    "on well-typed input, valid or not",
    (input, limits) => agreesWithReference(input, limits),
  );

  test.prop([validMessageInput])("on valid input, which it accepts", (input) =>
    agreesWithReference(input, undefined),
  );

  test.prop([untypedInput, optionalLimits], { numRuns: 1000 })(
    "on input of any type, reporting zod's invalid_type issues and every rule of the rest",
    (input, limits) => agreesWithReference(input, limits),
  );
});
