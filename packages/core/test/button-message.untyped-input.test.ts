import { describe, expect, it } from "vitest";
import { type ButtonMessageInput, createButtonMessage, type Issue } from "../src/index.js";

// Callers without types (JSON bodies, JavaScript) can hand createButtonMessage anything. It
// must answer with `invalid_type` issues, never throw, and still apply every domain rule to
// the fields whose type is right.

const untyped = (input: unknown) => createButtonMessage(input as ButtonMessageInput);

function issuesOf(input: unknown): readonly Issue[] {
  const result = untyped(input);
  if (result.ok) throw new Error(`expected issues, got a message: ${JSON.stringify(result)}`);
  return result.issues;
}

const rules = (issues: readonly Issue[]) =>
  issues.map((issue) => `${issue.code}@${issue.path.join(".")}`).sort();

describe("createButtonMessage on untyped input", () => {
  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a number", 42],
    ["a string", "hello"],
    ["a boolean", true],
  ])("reports a button that is %s as an invalid_type issue at its index", (_, button) => {
    expect(rules(issuesOf({ body: "Hi", buttons: [button] }))).toEqual(["invalid_type@buttons.0"]);
  });

  it("reports a button without an id as invalid_type at its id, and still checks its title", () => {
    const issues = issuesOf({ body: "Hi", buttons: [{ title: "x".repeat(21) }] });
    expect(rules(issues)).toEqual(["invalid_type@buttons.0.id", "too_long@buttons.0.title"]);
  });

  it("reports a button without a title as invalid_type at its title, and still checks its id", () => {
    const issues = issuesOf({
      body: "Hi",
      buttons: [{ id: "same", title: "A" }, { id: "same" }],
    });
    expect(rules(issues)).toEqual(["duplicate_id@buttons.1.id", "invalid_type@buttons.1.title"]);
  });

  it("checks the well-typed buttons next to a null one: their ids and titles, and the count", () => {
    const issues = issuesOf({
      body: "Hi",
      buttons: [null, { id: " a", title: "" }, { id: "b", title: "B" }, { id: "c", title: "C" }],
    });
    expect(rules(issues)).toEqual([
      "empty@buttons.1.title",
      "invalid_type@buttons.0",
      "surrounding_whitespace@buttons.1.id",
      "too_many_buttons@buttons",
    ]);
  });

  it("reports a header, body or footer of the wrong type and still checks the others", () => {
    expect(rules(issuesOf({ header: 1, body: " ", buttons: [{ id: "a", title: "A" }] }))).toEqual([
      "empty@body",
      "invalid_type@header",
    ]);
    expect(rules(issuesOf({ header: "", body: {}, buttons: [{ id: "a", title: "A" }] }))).toEqual([
      "empty@header",
      "invalid_type@body",
    ]);
    expect(
      rules(issuesOf({ body: "Hi", footer: [], buttons: [{ id: "a", title: "x".repeat(21) }] })),
    ).toEqual(["invalid_type@footer", "too_long@buttons.0.title"]);
  });

  it("reports a missing body as invalid_type and still counts the buttons", () => {
    expect(rules(issuesOf({ buttons: [] }))).toEqual([
      "invalid_type@body",
      "too_few_buttons@buttons",
    ]);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a string", "Hi"],
    ["an array", [{ id: "a", title: "A" }]],
  ])("reports an input that is %s as one invalid_type issue at the root", (_, input) => {
    expect(issuesOf(input)).toEqual([expect.objectContaining({ code: "invalid_type", path: [] })]);
  });

  it("reports buttons that are not an array as invalid_type at buttons, with no count issue", () => {
    expect(rules(issuesOf({ body: "Hi", buttons: { 0: { id: "a", title: "A" } } }))).toEqual([
      "invalid_type@buttons",
    ]);
  });

  it("names the offending field in the message of an invalid_type issue", () => {
    const [issue] = issuesOf({ body: "Hi", buttons: [{ id: 7, title: "A" }] });
    expect(issue?.message).toMatch(/^buttons\.0\.id: /);
    const [root] = issuesOf(null);
    expect(root?.message).toMatch(/^message: /);
  });
});

describe("the message of an invalid_type issue", () => {
  // No zod locale is loaded in this file (the core imports zod/mini, which loads none): the
  // English words must come from the core itself.
  it("says what was expected and what was received, as zod's English messages do", () => {
    expect(
      issuesOf({ header: Number.NaN, body: 42, footer: null, buttons: [{ id: [], title: 1n }] }),
    ).toEqual([
      {
        code: "invalid_type",
        path: ["header"],
        message: "header: Invalid input: expected string, received NaN",
      },
      {
        code: "invalid_type",
        path: ["body"],
        message: "body: Invalid input: expected string, received number",
      },
      {
        code: "invalid_type",
        path: ["footer"],
        message: "footer: Invalid input: expected string, received null",
      },
      {
        code: "invalid_type",
        path: ["buttons", 0, "id"],
        message: "buttons.0.id: Invalid input: expected string, received array",
      },
      {
        code: "invalid_type",
        path: ["buttons", 0, "title"],
        message: "buttons.0.title: Invalid input: expected string, received bigint",
      },
    ]);
  });

  it("names the container that is not one: the message, the list of buttons, a button", () => {
    expect(issuesOf(undefined).map((issue) => issue.message)).toEqual([
      "message: Invalid input: expected object, received undefined",
    ]);
    expect(issuesOf({ body: "Hi", buttons: new Date(0) }).map((issue) => issue.message)).toEqual([
      "buttons: Invalid input: expected array, received Date",
    ]);
    expect(
      issuesOf({ body: "Hi", buttons: [Number.NEGATIVE_INFINITY] }).map((issue) => issue.message),
    ).toEqual(["buttons.0: Invalid input: expected object, received -Infinity"]);
  });
});
