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
