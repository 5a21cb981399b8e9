import * as z from "zod/mini";
import { withButtonCountIssue } from "./button-count.js";
import { type Issue, withIssue } from "./issue.js";
import { MAX_BUTTONS, type TextLimits, WHATSAPP_CLOUD_LIMITS } from "./limits.js";
import { type MessageField, withSurroundingWhitespaceIssue, withTextIssues } from "./text-rules.js";

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
  const limits = options.limits === undefined ? WHATSAPP_CLOUD_LIMITS : tightened(options.limits);
  // Callers with types (the HTTP app validated the request already) pay for the rules only.
  if (!isWellTyped(input)) return untypedResult(input, limits);
  const { header, body, footer, buttons } = input;
  const issues = ruleIssues(undefined, header, body, footer, buttons, limits);
  return issues === undefined
    ? { ok: true, value: freezeMessage(header, body, footer, buttons) }
    : { ok: false, issues };
}

function tightened(overrides: Partial<TextLimits>): TextLimits {
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

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isOptionalString = (value: unknown): boolean =>
  value === undefined || typeof value === "string";

/** Exactly the types {@link inputShape} accepts, checked without building a parse result. */
function isWellTyped(input: unknown): input is ButtonMessageInput {
  if (!isObject(input)) return false;
  const { header, body, footer, buttons } = input;
  if (typeof body !== "string" || !isOptionalString(header) || !isOptionalString(footer)) {
    return false;
  }
  if (!Array.isArray(buttons)) return false;
  for (let index = 0; index < buttons.length; index += 1) {
    const button: unknown = buttons[index];
    if (!isObject(button) || typeof button.id !== "string" || typeof button.title !== "string") {
      return false;
    }
  }
  return true;
}

/**
 * zod's English message for a wrong type, whatever locale zod is configured with (zod/mini
 * loads none): "Invalid input: expected string, received number".
 */
function invalidTypeMessage(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== "invalid_type") return undefined;
  return `Invalid input: expected ${issue.expected}, received ${typeName(issue.input)}`;
}

/**
 * What zod calls a value's type in its messages: `typeof`, but `null`, `array`, `NaN` and
 * `Infinity` by name, and an instance of a class by the class's name. (zod's own helper
 * lives in `z.util`, a namespace no bundler can trim: all of it would come along.)
 */
function typeName(value: unknown): string {
  if (typeof value === "number") return Number.isFinite(value) ? "number" : String(value);
  if (typeof value !== "object") return typeof value;
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  const maker = (value as { constructor?: { name?: unknown } }).constructor;
  return Object.getPrototypeOf(value) !== Object.prototype && maker ? String(maker.name) : "object";
}

const wrongType = { error: invalidTypeMessage };

// The types alone, for the issues of an input that is not well typed; the domain rules run
// on every field whose type is right, so one call reports a wrong type and, say, a 4th
// button together.
const inputShape = z.object(
  {
    header: z.optional(z.string(wrongType)),
    body: z.string(wrongType),
    footer: z.optional(z.string(wrongType)),
    buttons: z.array(
      z.object({ id: z.string(wrongType), title: z.string(wrongType) }, wrongType),
      wrongType,
    ),
  },
  wrongType,
);

/**
 * An `invalid_type` issue per field of the wrong type, then the rules of the fields whose
 * type is right. Without an object holding a list of buttons, there is nothing to apply
 * them to.
 */
function untypedResult(input: unknown, limits: TextLimits): ButtonMessageResult {
  const parsed = inputShape.safeParse(input);
  const typeIssues = (parsed.error?.issues ?? []).map(
    (issue): Issue => ({
      code: "invalid_type",
      path: issue.path.filter((key): key is string | number => typeof key !== "symbol"),
      message: `${issue.path.join(".") || "message"}: ${issue.message}`,
    }),
  );
  if (!isObject(input) || !Array.isArray(input.buttons)) return { ok: false, issues: typeIssues };
  const { header, body, footer, buttons } = input;
  // The rules add theirs to the list of wrong types.
  ruleIssues(
    typeIssues,
    asString(header),
    asString(body),
    asString(footer),
    buttons as readonly unknown[],
    limits,
  );
  return { ok: false, issues: typeIssues };
}

const asString = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;

// Any object, an array too: the rules read what a button has, whatever zod said of its type.
const stringField = (value: unknown, key: "id" | "title"): string | undefined =>
  typeof value === "object" && value !== null
    ? asString((value as Readonly<Record<string, unknown>>)[key])
    : undefined;

/**
 * Every domain rule, on the texts that are strings (an `undefined` one is absent or of the
 * wrong type), added to `issues` in the order the message reads: header, body, footer, the
 * number of buttons, then each button's id and title.
 */
function ruleIssues(
  issues: Issue[] | undefined,
  header: string | undefined,
  body: string | undefined,
  footer: string | undefined,
  buttons: readonly unknown[],
  limits: TextLimits,
): Issue[] | undefined {
  let found = withMessageTextIssues(issues, header, "header", limits);
  found = withMessageTextIssues(found, body, "body", limits);
  found = withMessageTextIssues(found, footer, "footer", limits);
  found = withButtonCountIssue(found, buttons.length, MAX_BUTTONS);
  // Up to 3 buttons, comparing with the earlier ones is cheaper than hashing them; a longer
  // list (invalid anyway) is hashed, so that a caller's thousands of buttons cost linear time.
  const hashed = buttons.length > MAX_BUTTONS;
  const seenIds = hashed ? new Set<string>() : undefined;
  const seenTitles = hashed ? new Set<string>() : undefined;
  for (let index = 0; index < buttons.length; index += 1) {
    const button = buttons[index];
    const id = stringField(button, "id");
    if (id !== undefined) {
      const trimmed = id.trim();
      found = withTextIssues(found, id, trimmed, limits.buttonId, "id", index);
      found = withSurroundingWhitespaceIssue(found, id, trimmed, index);
      if (trimmed.length > 0 && (seenIds?.has(id) ?? earlierHas(buttons, index, "id", id))) {
        found = withIssue(found, {
          code: "duplicate_id",
          path: ["buttons", index, "id"],
          message: `buttons.${index}.id repeats the id of an earlier button`,
        });
      }
      seenIds?.add(id);
    }
    const title = stringField(button, "title");
    if (title !== undefined) {
      const trimmed = title.trim();
      found = withTextIssues(found, title, trimmed, limits.buttonTitle, "title", index);
      if (
        trimmed.length > 0 &&
        (seenTitles?.has(trimmed) ?? earlierHas(buttons, index, "title", trimmed))
      ) {
        found = withIssue(found, {
          code: "duplicate_title",
          path: ["buttons", index, "title"],
          message: `buttons.${index}.title repeats the title of an earlier button`,
        });
      }
      seenTitles?.add(trimmed);
    }
  }
  return found;
}

function withMessageTextIssues(
  issues: Issue[] | undefined,
  text: string | undefined,
  field: MessageField,
  limits: TextLimits,
): Issue[] | undefined {
  return text === undefined
    ? issues
    : withTextIssues(issues, text, text.trim(), limits[field], field, 0);
}

/** Whether a button before `index` has this id, or this title once trimmed. */
function earlierHas(
  buttons: readonly unknown[],
  index: number,
  field: "id" | "title",
  text: string,
): boolean {
  for (let earlier = 0; earlier < index; earlier += 1) {
    const other = stringField(buttons[earlier], field);
    if (other !== undefined && (field === "id" ? other : other.trim()) === text) return true;
  }
  return false;
}

function freezeMessage(
  header: string | undefined,
  body: string,
  footer: string | undefined,
  buttons: ButtonMessageInput["buttons"],
): ButtonMessage {
  // Mapped rather than pushed: an array grown by push keeps spare room (17 slots for 3
  // buttons) for as long as the message lives, in the message log too.
  const frozenButtons: ReplyButton[] = buttons.map(({ id, title }) => Object.freeze({ id, title }));
  const message: { header?: string; body?: string; footer?: string; buttons?: ReplyButtons } = {};
  if (header !== undefined) message.header = header;
  message.body = body;
  if (footer !== undefined) message.footer = footer;
  message.buttons = Object.freeze(frozenButtons) as unknown as ReplyButtons;
  return Object.freeze(message) as ButtonMessage;
}
