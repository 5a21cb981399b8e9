import { describe, expect, it } from "vitest";
import {
  type ButtonMessage,
  type ChannelCapabilities,
  checkCapabilities,
  createButtonMessage,
  WHATSAPP_CLOUD_LIMITS,
} from "../src/index.js";

// A channel stricter than the domain reports each field it refuses where it is, so that a
// 400 names the field to change: header, body, footer, and each button's id and title.

function message(input: Parameters<typeof createButtonMessage>[0]): ButtonMessage {
  const result = createButtonMessage(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

const strict: ChannelCapabilities = {
  maxButtons: 3,
  limits: { buttonTitle: 3, buttonId: 3, body: 5, header: 4, footer: 4 },
  header: true,
  footer: true,
  buttonRendering: "best-effort",
};

const rules = (issues: readonly { code: string; path: readonly (string | number)[] }[]) =>
  issues.map((issue) => `${issue.code}@${issue.path.join(".")}`);

describe("checkCapabilities", () => {
  it("reports every field over the channel's limits at its own path", () => {
    const issues = checkCapabilities(
      message({
        header: "Header",
        body: "Body text",
        footer: "Footer",
        buttons: [
          { id: "ok", title: "Yes" },
          { id: "long-id", title: "Title" },
        ],
      }),
      strict,
    );
    expect(rules(issues)).toEqual([
      "too_long@header",
      "too_long@body",
      "too_long@footer",
      "too_long@buttons.1.id",
      "too_long@buttons.1.title",
    ]);
  });

  it("checks every button, not only the first", () => {
    const issues = checkCapabilities(
      message({
        body: "Hi",
        buttons: [
          { id: "a", title: "A" },
          { id: "b", title: "B" },
          { id: "ccccc", title: "C" },
        ],
      }),
      strict,
    );
    expect(rules(issues)).toEqual(["too_long@buttons.2.id"]);
  });

  it("finds nothing to say about a message within every limit", () => {
    const fits = message({
      header: "H",
      body: "Hi",
      footer: "F",
      buttons: [{ id: "a", title: "A" }],
    });
    expect(checkCapabilities(fits, strict)).toEqual([]);
    expect(checkCapabilities(fits, { ...strict, limits: WHATSAPP_CLOUD_LIMITS })).toEqual([]);
  });

  it("refuses a header or footer the channel cannot show, and nothing else about them", () => {
    const issues = checkCapabilities(
      message({
        header: "Header",
        body: "Hi",
        footer: "Footer",
        buttons: [{ id: "a", title: "A" }],
      }),
      { ...strict, header: false, footer: false },
    );
    expect(rules(issues)).toEqual(["unsupported_field@header", "unsupported_field@footer"]);
  });

  it("counts the buttons against the channel's maximum", () => {
    const issues = checkCapabilities(
      message({
        body: "Hi",
        buttons: [
          { id: "a", title: "A" },
          { id: "b", title: "B" },
        ],
      }),
      { ...strict, maxButtons: 1 },
    );
    expect(issues).toEqual([
      expect.objectContaining({
        code: "too_many_buttons",
        path: ["buttons"],
        providerCode: 131009,
      }),
    ]);
  });
});
