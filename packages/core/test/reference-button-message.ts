import { z } from "zod";
import type { Issue, IssuePath, TextLimits } from "../src/index.js";
import { WHATSAPP_CLOUD_LIMITS } from "../src/index.js";

// createButtonMessage's rules as first written, plainly and without regard to cost: a
// parse of the input's types with zod (classic, with its English messages), then every rule
// on the fields whose type is right, one list of issues per text, Sets for the duplicates.
// The oracle the optimised createButtonMessage must agree with, issue for issue.

const inputShape = z.object({
  header: z.string().optional(),
  body: z.string(),
  footer: z.string().optional(),
  buttons: z.array(z.object({ id: z.string(), title: z.string() })),
});
const looseInput = z.looseObject({
  header: z.unknown().optional(),
  body: z.unknown().optional(),
  footer: z.unknown().optional(),
  buttons: z.array(z.unknown()),
});

const blank = (text: string) => text.trim().length === 0;
const dotted = (path: IssuePath) => path.join(".");

function textIssues(text: string, path: IssuePath, limit: number): Issue[] {
  const issues: Issue[] = [];
  if (blank(text)) {
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

function countIssues(count: number): Issue[] {
  if (count === 0) {
    return [
      { code: "too_few_buttons", path: ["buttons"], message: "at least 1 button is required" },
    ];
  }
  if (count > 3) {
    return [
      {
        code: "too_many_buttons",
        path: ["buttons"],
        message: `${count} buttons given; at most 3 are allowed (error 131009)`,
        providerCode: 131009,
      },
    ];
  }
  return [];
}

const asString = (value: unknown) => (typeof value === "string" ? value : undefined);
const field = (value: unknown, key: "id" | "title") =>
  typeof value === "object" && value !== null
    ? asString((value as Record<string, unknown>)[key])
    : undefined;

/** The issues of `input` under `limits` (tightened as createButtonMessage does); [] when valid. */
export function referenceIssues(input: unknown, overrides: Partial<TextLimits> = {}): Issue[] {
  const limit = (name: keyof TextLimits) =>
    Math.min(WHATSAPP_CLOUD_LIMITS[name], overrides[name] ?? Number.POSITIVE_INFINITY);
  const strict = inputShape.safeParse(input);
  const issues: Issue[] = strict.success
    ? []
    : strict.error.issues.map((issue) => ({
        code: "invalid_type",
        path: issue.path.filter((key): key is string | number => typeof key !== "symbol"),
        message: `${issue.path.join(".") || "message"}: ${issue.message}`,
      }));
  const loose = looseInput.safeParse(input);
  if (!loose.success) return issues;
  const { header, body, footer, buttons } = loose.data;
  for (const [name, value] of [
    ["header", header],
    ["body", body],
    ["footer", footer],
  ] as const) {
    const text = asString(value);
    if (text !== undefined) issues.push(...textIssues(text, [name], limit(name)));
  }
  issues.push(...countIssues(buttons.length));
  const ids = new Set<string>();
  const titles = new Set<string>();
  buttons.forEach((button, index) => {
    const id = field(button, "id");
    if (id !== undefined) {
      const path = ["buttons", index, "id"];
      issues.push(...textIssues(id, path, limit("buttonId")));
      if (!blank(id) && id.trim() !== id) {
        issues.push({
          code: "surrounding_whitespace",
          path,
          message: `buttons.${index}.id must not start or end with whitespace`,
        });
      }
      if (!blank(id) && ids.has(id)) {
        issues.push({
          code: "duplicate_id",
          path,
          message: `buttons.${index}.id repeats the id of an earlier button`,
        });
      }
      ids.add(id);
    }
    const title = field(button, "title");
    if (title !== undefined) {
      const path = ["buttons", index, "title"];
      issues.push(...textIssues(title, path, limit("buttonTitle")));
      if (!blank(title) && titles.has(title.trim())) {
        issues.push({
          code: "duplicate_title",
          path,
          message: `buttons.${index}.title repeats the title of an earlier button`,
        });
      }
      titles.add(title.trim());
    }
  });
  return issues;
}
