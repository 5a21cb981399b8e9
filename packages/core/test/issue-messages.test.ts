import { describe, expect, it } from "vitest";
import {
  type ButtonMessage,
  type ChannelCapabilities,
  checkCapabilities,
  createButtonMessage,
  type Issue,
  WHATSAPP_CLOUD_LIMITS,
} from "../src/index.js";

// An issue's message is what a person reads in a 400 answer or a log: it must say which
// field is wrong and, for a length, by how much. Its wording is free; these facts are not.

const fieldOf = (issue: Issue) => issue.path.join(".");

function message(input: Parameters<typeof createButtonMessage>[0]): ButtonMessage {
  const result = createButtonMessage(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

describe("issue messages", () => {
  it("name the field of every text rule they report, as the dotted path", () => {
    const result = createButtonMessage({
      header: " ",
      body: "x".repeat(1025),
      footer: "y".repeat(61),
      buttons: [
        { id: " a", title: "" },
        { id: " a", title: "z".repeat(21) },
        { id: "b", title: " Z " },
        { id: "c", title: "Z" },
      ],
    });
    const fieldIssues = (result.ok ? [] : result.issues).filter(
      (issue) => issue.code !== "too_many_buttons",
    );
    expect(fieldIssues.map((issue) => `${issue.code}@${fieldOf(issue)}`)).toEqual([
      "empty@header",
      "too_long@body",
      "too_long@footer",
      "surrounding_whitespace@buttons.0.id",
      "empty@buttons.0.title",
      "surrounding_whitespace@buttons.1.id",
      "duplicate_id@buttons.1.id",
      "too_long@buttons.1.title",
      "duplicate_title@buttons.3.title",
    ]);
    for (const issue of fieldIssues) {
      expect(issue.message.startsWith(`${fieldOf(issue)} `), issue.message).toBe(true);
    }
  });

  it("say how long a too-long text is and what the limit is", () => {
    const result = createButtonMessage({
      body: "Hi",
      buttons: [{ id: "a", title: "x".repeat(23) }],
    });
    expect(result.ok ? [] : result.issues).toEqual([
      {
        code: "too_long",
        path: ["buttons", 0, "title"],
        message: expect.stringMatching(/^buttons\.0\.title .*\b23\b.*\b20\b/),
      },
    ]);
  });

  it("say what is wrong for a blank text and for an id with surrounding whitespace", () => {
    const result = createButtonMessage({ body: "\t", buttons: [{ id: "a ", title: "A" }] });
    const messages = result.ok ? [] : result.issues.map((issue) => issue.message);
    expect(messages).toEqual([
      expect.stringMatching(/^body .*empty/),
      expect.stringMatching(/^buttons\.0\.id .*whitespace/),
    ]);
  });

  it("name the count and the maximum for too many buttons, and the minimum for none", () => {
    const tooMany = createButtonMessage({
      body: "Hi",
      buttons: ["a", "b", "c", "d", "e"].map((id) => ({ id, title: id })),
    });
    expect(tooMany.ok ? "" : tooMany.issues[0]?.message).toMatch(/\b5\b.*\b3\b/);
    const none = createButtonMessage({ body: "Hi", buttons: [] });
    expect(none.ok ? "" : none.issues[0]?.message).toMatch(/\b1\b/);
  });

  it("name the field a channel cannot show", () => {
    const capabilities: ChannelCapabilities = {
      maxButtons: 3,
      limits: WHATSAPP_CLOUD_LIMITS,
      header: false,
      footer: false,
      buttonRendering: "best-effort",
    };
    const issues = checkCapabilities(
      message({ header: "H", body: "B", footer: "F", buttons: [{ id: "a", title: "A" }] }),
      capabilities,
    );
    expect(issues).toEqual([
      { code: "unsupported_field", path: ["header"], message: expect.stringContaining("header") },
      { code: "unsupported_field", path: ["footer"], message: expect.stringContaining("footer") },
    ]);
  });
});
