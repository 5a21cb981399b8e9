import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type ButtonMessageInput,
  createButtonMessage,
  type Issue,
  TOO_MANY_BUTTONS_PROVIDER_CODE,
  WHATSAPP_CLOUD_LIMITS,
} from "../src/index.js";
import { buttonInput, messageInput, smallLimits, validMessageInput } from "./arbitraries.js";
import { violatedRules } from "./specification.js";

const asRules = (issues: readonly Issue[]) =>
  new Set(issues.map((issue) => `${issue.code}@${issue.path.join(".")}`));

const issuesOf = (input: ButtonMessageInput) => {
  const result = createButtonMessage(input);
  return result.ok ? [] : result.issues;
};

const buttons = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ id: `b${index}`, title: `Button ${index}` }));

describe("createButtonMessage", () => {
  test.prop([messageInput(10), smallLimits], { numRuns: 500 })(
    "accepts exactly the inputs that satisfy every invariant, and lists every violated one",
    (input, limits) => {
      const result = createButtonMessage(input, { limits });
      const expected = violatedRules(input, limits);
      if (result.ok) expect(expected).toEqual(new Set());
      else expect(asRules(result.issues)).toEqual(expected);
    },
  );

  test.prop([messageInput(24, 4)], { numRuns: 300 })(
    "applies the WhatsApp Cloud limits by default",
    (input) => {
      const result = createButtonMessage(input);
      const expected = violatedRules(input, WHATSAPP_CLOUD_LIMITS);
      expect(result.ok ? new Set() : asRules(result.issues)).toEqual(expected);
    },
  );

  test.prop([fc.array(buttonInput(6), { minLength: 4, maxLength: 12 }), fc.string()])(
    "always reports 4 or more buttons with provider code 131009",
    (manyButtons, body) => {
      const result = createButtonMessage({ body, buttons: manyButtons });
      expect(result.ok).toBe(false);
      const tooMany = issuesOf({ body, buttons: manyButtons }).filter(
        (issue) => issue.code === "too_many_buttons",
      );
      expect(tooMany).toEqual([
        expect.objectContaining({
          path: ["buttons"],
          providerCode: TOO_MANY_BUTTONS_PROVIDER_CODE,
        }),
      ]);
    },
  );

  test.prop([validMessageInput])("freezes every accepted message, deeply", (input) => {
    const result = createButtonMessage(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const message = result.value;
    expect(Object.isFrozen(message)).toBe(true);
    expect(Object.isFrozen(message.buttons)).toBe(true);
    for (const button of message.buttons) expect(Object.isFrozen(button)).toBe(true);
    expect(message).toEqual({
      ...(input.header === undefined ? {} : { header: input.header }),
      body: input.body,
      ...(input.footer === undefined ? {} : { footer: input.footer }),
      buttons: input.buttons.map(({ id, title }) => ({ id, title })),
    });
  });

  it("only tightens limits: a larger limit than WhatsApp Cloud's is ignored", () => {
    const long = { body: "b".repeat(1025), buttons: [{ id: "a", title: "t".repeat(21) }] };
    const result = createButtonMessage(long, { limits: { body: 5000, buttonTitle: 100 } });
    expect(result.ok ? [] : result.issues.map((issue) => issue.code)).toEqual([
      "too_long",
      "too_long",
    ]);
  });

  it("rejects a message without buttons", () => {
    expect(issuesOf({ body: "Hi", buttons: [] })).toEqual([
      expect.objectContaining({ code: "too_few_buttons", path: ["buttons"] }),
    ]);
  });

  it("rejects a 4th button with 131009", () => {
    const [issue] = issuesOf({ body: "Hi", buttons: buttons(4) });
    expect(issue).toMatchObject({ code: "too_many_buttons", providerCode: 131009 });
    expect(issue?.message).toContain("131009");
  });

  it("counts length in UTF-16 code units, so 10 emoji fill a 20-character title", () => {
    expect(issuesOf({ body: "Hi", buttons: [{ id: "a", title: "👍".repeat(10) }] })).toEqual([]);
    expect(issuesOf({ body: "Hi", buttons: [{ id: "a", title: `${"👍".repeat(10)}a` }] })).toEqual([
      expect.objectContaining({ code: "too_long", path: ["buttons", 0, "title"] }),
    ]);
  });

  it.each([
    ["header", 60],
    ["body", 1024],
    ["footer", 60],
  ] as const)("accepts a %s of exactly %i characters and rejects one more", (field, limit) => {
    const at = (length: number) => ({
      body: "Hi",
      buttons: buttons(1),
      [field]: "x".repeat(length),
    });
    expect(issuesOf(at(limit))).toEqual([]);
    expect(issuesOf(at(limit + 1))).toEqual([
      expect.objectContaining({ code: "too_long", path: [field] }),
    ]);
  });

  it("accepts a 256-character id and rejects a 257-character one", () => {
    expect(issuesOf({ body: "Hi", buttons: [{ id: "i".repeat(256), title: "T" }] })).toEqual([]);
    expect(issuesOf({ body: "Hi", buttons: [{ id: "i".repeat(257), title: "T" }] })).toEqual([
      expect.objectContaining({ code: "too_long", path: ["buttons", 0, "id"] }),
    ]);
  });

  it("rejects ids with leading or trailing whitespace, as Meta does", () => {
    expect(issuesOf({ body: "Hi", buttons: [{ id: " yes", title: "Yes" }] })).toEqual([
      expect.objectContaining({ code: "surrounding_whitespace", path: ["buttons", 0, "id"] }),
    ]);
  });

  it("treats titles that differ only by surrounding whitespace as duplicates", () => {
    const issues = issuesOf({
      body: "Hi",
      buttons: [
        { id: "a", title: "Yes" },
        { id: "b", title: " Yes " },
      ],
    });
    expect(issues).toEqual([
      expect.objectContaining({ code: "duplicate_title", path: ["buttons", 1, "title"] }),
    ]);
  });

  it("lists every violation at once, not only the first", () => {
    const issues = issuesOf({
      header: " ",
      body: "",
      buttons: [
        { id: "same", title: "x".repeat(21) },
        { id: "same", title: "" },
        { id: "c", title: "C" },
        { id: "d", title: "D" },
      ],
    });
    expect(asRules(issues)).toEqual(
      new Set([
        "empty@header",
        "empty@body",
        "too_many_buttons@buttons",
        "too_long@buttons.0.title",
        "duplicate_id@buttons.1.id",
        "empty@buttons.1.title",
      ]),
    );
  });

  it("reports wrong types from untyped callers instead of throwing", () => {
    const untyped = {
      body: 42,
      buttons: [{ id: "a", title: null }],
    } as unknown as ButtonMessageInput;
    const result = createButtonMessage(untyped);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["body", "buttons.0.title"]),
    );
    expect(createButtonMessage(null as unknown as ButtonMessageInput).ok).toBe(false);
  });

  it("keeps no field the input had beyond the message's own", () => {
    const input = { body: "Hi", buttons: [{ id: "a", title: "A", extra: 1 }], extra: true };
    const result = createButtonMessage(input as ButtonMessageInput);
    expect(result.ok && Object.keys(result.value)).toEqual(["body", "buttons"]);
    expect(result.ok && Object.keys(result.value.buttons[0] ?? {})).toEqual(["id", "title"]);
  });
});
