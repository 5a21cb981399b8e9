import type { ButtonMessage, ChannelCapabilities, Issue, IssuePath } from "../src/index.js";

// checkCapabilities as first written, plainly: one list of issues per text, spread into
// the result. The oracle the allocation-free checkCapabilities must agree with.

const dotted = (path: IssuePath) => path.join(".");

function textIssues(text: string, path: IssuePath, limit: number): Issue[] {
  const issues: Issue[] = [];
  if (text.trim().length === 0) {
    issues.push({ code: "empty", path, message: `${dotted(path)} must not be empty or blank` });
  }
  if (text.length > limit) {
    issues.push({
      code: "too_long",
      path,
      message: `${dotted(path)} is ${text.length} characters long; the limit is ${limit}`,
    });
  }
  return issues;
}

function countIssues(count: number, maxButtons: number): Issue[] {
  if (count === 0) {
    return [
      { code: "too_few_buttons", path: ["buttons"], message: "at least 1 button is required" },
    ];
  }
  if (count > maxButtons) {
    return [
      {
        code: "too_many_buttons",
        path: ["buttons"],
        message: `${count} buttons given; at most ${maxButtons} are allowed (error 131009)`,
        providerCode: 131009,
      },
    ];
  }
  return [];
}

const unsupported = (field: "header" | "footer"): Issue => ({
  code: "unsupported_field",
  path: [field],
  message: `this channel cannot show a ${field}; send the message without one`,
});

export function referenceCapabilityIssues(
  message: ButtonMessage,
  capabilities: ChannelCapabilities,
): Issue[] {
  const { limits } = capabilities;
  const issues = [...countIssues(message.buttons.length, capabilities.maxButtons)];
  if (message.header !== undefined) {
    if (!capabilities.header) issues.push(unsupported("header"));
    else issues.push(...textIssues(message.header, ["header"], limits.header));
  }
  issues.push(...textIssues(message.body, ["body"], limits.body));
  if (message.footer !== undefined) {
    if (!capabilities.footer) issues.push(unsupported("footer"));
    else issues.push(...textIssues(message.footer, ["footer"], limits.footer));
  }
  message.buttons.forEach((button, index) => {
    issues.push(...textIssues(button.id, ["buttons", index, "id"], limits.buttonId));
    issues.push(...textIssues(button.title, ["buttons", index, "title"], limits.buttonTitle));
  });
  return issues;
}
