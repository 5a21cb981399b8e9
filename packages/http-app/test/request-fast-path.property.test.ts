import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CheckedSendButtonsRequestSchema,
  SEND_BUTTONS_FIELDS,
  SendButtonsRequestSchema,
} from "../src/routes/schemas.js";
import { toMessageInput } from "../src/routes/send-buttons.js";

const FIELDS = Object.keys(SEND_BUTTONS_FIELDS);

const ABSENT = Symbol("absent");
const odd = fc.oneof(
  fc.constant(undefined),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue(),
);

/** A field of a body: required ones mostly given as strings, optional ones often left out. */
const fieldValue = (field: string) => {
  const required = SEND_BUTTONS_FIELDS[field as keyof typeof SEND_BUTTONS_FIELDS]._zod.optin;
  return fc.oneof(
    { weight: required === undefined ? 8 : 3, arbitrary: fc.string({ maxLength: 4 }) },
    { weight: required === undefined ? 1 : 3, arbitrary: fc.constant(ABSENT) },
    { weight: 1, arbitrary: odd },
  );
};

/** Bodies near the contract: its fields or some of them, now and then an unknown key. */
const body = fc
  .tuple(
    fc.record(Object.fromEntries(FIELDS.map((field) => [field, fieldValue(field)]))),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom("button_4_id", "button_4_title", "extra", "__proto__", "constructor"),
        fc.string({ maxLength: 3 }),
      ),
      fc.oneof(fc.string({ maxLength: 2 }), odd),
      { maxKeys: 2 },
    ),
    fc.boolean(),
  )
  .map(([fields, unknown, withUnknown]) => {
    const known = Object.fromEntries(
      Object.entries(fields).filter(([, given]) => given !== ABSENT),
    );
    return withUnknown ? { ...unknown, ...known } : known;
  });

/** Whatever may reach the schema: bodies, and values that are not objects at all. */
const input = fc.oneof(
  { weight: 8, arbitrary: body },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.array(fc.string(), { maxLength: 2 }) },
);

describe("the request schema's fast path", () => {
  it("answers exactly as zod's own parse: the same success, data (keys in order) and issues", () => {
    expect(SendButtonsRequestSchema.safeParse).not.toBe(CheckedSendButtonsRequestSchema.safeParse);
    fc.assert(
      fc.property(input, (candidate) => {
        const fast = SendButtonsRequestSchema.safeParse(candidate);
        const zod = CheckedSendButtonsRequestSchema.safeParse(candidate);
        expect(fast.success).toBe(zod.success);
        if (fast.success && zod.success) {
          expect(Object.entries(fast.data)).toEqual(Object.entries(zod.data));
          expect(fast.data).not.toBe(candidate);
          expect(Object.entries(SendButtonsRequestSchema.parse(candidate))).toEqual(
            Object.entries(zod.data),
          );
        } else {
          expect(fast.error?.issues).toEqual(zod.error?.issues);
          expect(() => SendButtonsRequestSchema.parse(candidate)).toThrow();
        }
      }),
      { numRuns: 3000 },
    );
  });

  it("takes the fast path for a valid body of every shape the contract allows", () => {
    const valid = fc
      .record(
        {
          header_text: fc.string(),
          footer_text: fc.string(),
          buttons: fc.integer({ min: 1, max: 3 }),
        },
        { requiredKeys: ["buttons"] },
      )
      .map(({ buttons, ...optional }) => ({
        agentId: "a",
        conversationId: "c",
        body_text: "b",
        ...optional,
        ...Object.fromEntries(
          Array.from({ length: buttons }, (_, index) => [
            [`button_${index + 1}_id`, `id${index}`],
            [`button_${index + 1}_title`, `T${index}`],
          ]).flat(),
        ),
      }));
    fc.assert(
      fc.property(valid, (candidate) => {
        // The fast path never calls zod's parse, so a schema whose parse throws is not reached.
        const parsed = SendButtonsRequestSchema.safeParse(candidate);
        expect(parsed.success).toBe(true);
        if (!parsed.success) return;
        expect(parsed.data).toEqual(candidate);
        expect(toMessageInput(parsed.data).buttons).toHaveLength(
          Object.keys(candidate).filter((key) => key.endsWith("_id") && key !== "agentId").length,
        );
      }),
    );
  });
});
