import { z } from "zod";
import { buttonCountIssues } from "./button-count.js";
import type { Issue } from "./issue.js";
import { MAX_BUTTONS, type TextLimits, WHATSAPP_CLOUD_LIMITS } from "./limits.js";
import { isBlank, surroundingWhitespaceIssue, textIssues } from "./text-rules.js";

declare const validButtonMessage: unique symbol;

export interface ReplyButton {
  readonly id: string;
  readonly title: string;
}

export type ReplyButtons =
  | readonly [ReplyButton]
  | readonly [ReplyButton, ReplyButton]
  | readonly [ReplyButton, ReplyButton, ReplyButton];

/**
 * An interactive message with 1 to 3 reply buttons that satisfies every invariant.
 * Only {@link createButtonMessage} makes one (the brand keeps object literals out), and
 * it is frozen: a `ButtonMessage` that exists is valid.
 */
export interface ButtonMessage {
  readonly header?: string;
  readonly body: string;
  readonly footer?: string;
  readonly buttons: ReplyButtons;
  readonly [validButtonMessage]: true;
}

export interface ButtonMessageInput {
  readonly header?: string | undefined;
  readonly body: string;
  readonly footer?: string | undefined;
  readonly buttons: readonly { readonly id: string; readonly title: string }[];
}

export interface CreateButtonMessageOptions {
  /**
   * Stricter length limits than WhatsApp Cloud's, which are the default. A larger value is
   * ignored: a `ButtonMessage` must fit every provider, since adapters send it unchecked.
   */
  readonly limits?: Partial<TextLimits>;
}

export type ButtonMessageResult =
  | { readonly ok: true; readonly value: ButtonMessage }
  | { readonly ok: false; readonly issues: readonly Issue[] };

// Only the types are checked here: the domain rules below run on every field whose type
// is right, so one call reports a wrong type and, say, a 4th button together.
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

function tightened(overrides: Partial<TextLimits> = {}): TextLimits {
  const limit = (field: keyof TextLimits) =>
    Math.min(WHATSAPP_CLOUD_LIMITS[field], overrides[field] ?? Number.POSITIVE_INFINITY);
  return {
    buttonTitle: limit("buttonTitle"),
    buttonId: limit("buttonId"),
    body: limit("body"),
    header: limit("header"),
    footer: limit("footer"),
  };
}

interface LooseFields {
  readonly header?: unknown;
  readonly body?: unknown;
  readonly footer?: unknown;
  readonly buttons: readonly unknown[];
}

/**
 * The input's fields, and an `invalid_type` issue per field of the wrong type. The strict
 * parse is all a well-typed caller pays; only a failing one is parsed again, loosely, so
 * that the rules below still run on the fields whose type is right.
 */
function fieldsOf(input: unknown): { issues: Issue[]; fields: LooseFields | undefined } {
  const strict = inputShape.safeParse(input);
  if (strict.success) return { issues: [], fields: strict.data };
  const issues = strict.error.issues.map(
    (issue): Issue => ({
      code: "invalid_type",
      path: issue.path.filter((key): key is string | number => typeof key !== "symbol"),
      message: `${issue.path.join(".") || "message"}: ${issue.message}`,
    }),
  );
  const loose = looseInput.safeParse(input);
  return { issues, fields: loose.success ? loose.data : undefined };
}

const asString = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

const stringField = (value: unknown, key: "id" | "title"): string | undefined =>
  typeof value === "object" && value !== null
    ? asString((value as Record<string, unknown>)[key])
    : undefined;

/**
 * Builds a {@link ButtonMessage}, or lists every rule the input breaks (never only the
 * first): 1–3 buttons (4 or more is `too_many_buttons`, provider code 131009), unique ids,
 * unique titles after trimming, no blank body, id or title, no whitespace around an id,
 * and the length limits, counted in UTF-16 code units (see {@link TextLimits}).
 */
export function createButtonMessage(
  input: ButtonMessageInput,
  options: CreateButtonMessageOptions = {},
): ButtonMessageResult {
  const limits = tightened(options.limits);
  const { issues, fields } = fieldsOf(input);
  if (fields === undefined) return { ok: false, issues };

  const { header, body, footer, buttons } = fields;
  const bodyText = asString(body);
  const headerText = asString(header);
  const footerText = asString(footer);
  if (headerText !== undefined) issues.push(...textIssues(headerText, ["header"], limits.header));
  if (bodyText !== undefined) issues.push(...textIssues(bodyText, ["body"], limits.body));
  if (footerText !== undefined) issues.push(...textIssues(footerText, ["footer"], limits.footer));
  issues.push(...buttonCountIssues(buttons.length, MAX_BUTTONS));

  const seenIds = new Set<string>();
  const seenTitles = new Set<string>();
  buttons.forEach((button, index) => {
    const id = stringField(button, "id");
    const title = stringField(button, "title");
    if (id !== undefined) {
      issues.push(...textIssues(id, ["buttons", index, "id"], limits.buttonId));
      const whitespace = surroundingWhitespaceIssue(id, ["buttons", index, "id"]);
      if (whitespace) issues.push(whitespace);
      if (!isBlank(id) && seenIds.has(id)) {
        issues.push({
          code: "duplicate_id",
          path: ["buttons", index, "id"],
          message: `buttons.${index}.id repeats the id of an earlier button`,
        });
      }
      seenIds.add(id);
    }
    if (title !== undefined) {
      issues.push(...textIssues(title, ["buttons", index, "title"], limits.buttonTitle));
      const trimmed = title.trim();
      if (!isBlank(title) && seenTitles.has(trimmed)) {
        issues.push({
          code: "duplicate_title",
          path: ["buttons", index, "title"],
          message: `buttons.${index}.title repeats the title of an earlier button`,
        });
      }
      seenTitles.add(trimmed);
    }
  });

  if (issues.length > 0 || bodyText === undefined) return { ok: false, issues };
  return { ok: true, value: freezeMessage(headerText, bodyText, footerText, buttons) };
}

function freezeMessage(
  header: string | undefined,
  body: string,
  footer: string | undefined,
  buttons: readonly unknown[],
): ButtonMessage {
  const frozenButtons = Object.freeze(
    buttons.map((button) =>
      Object.freeze({
        id: stringField(button, "id") ?? "",
        title: stringField(button, "title") ?? "",
      }),
    ),
  ) as unknown as ReplyButtons;
  const message = {
    ...(header === undefined ? {} : { header }),
    body,
    ...(footer === undefined ? {} : { footer }),
    buttons: frozenButtons,
  };
  return Object.freeze(message) as ButtonMessage;
}
