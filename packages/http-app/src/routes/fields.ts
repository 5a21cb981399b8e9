import { type Issue, type IssuePath, MAX_BUTTONS } from "@replykit/core";
import type { FieldIssue } from "../http-errors/envelope.js";

/** The flat request fields of the contract, in the order of `spec/send-buttons.md`. */
export const BUTTON_SLOTS = [1, 2, 3] as const satisfies readonly number[];
export type ButtonSlot = (typeof BUTTON_SLOTS)[number];

export const buttonIdField = (slot: number) => `button_${slot}_id`;
export const buttonTitleField = (slot: number) => `button_${slot}_title`;

/** `button_N_id` / `button_N_title` for any N ≥ 1; N ≥ 4 is the contract's 131009. */
const BUTTON_FIELD = /^button_([1-9][0-9]*)_(id|title)$/;

/** The button number of a `button_N_*` field beyond the contract's 3, else `undefined`. */
export function extraButtonNumber(field: string): number | undefined {
  const match = BUTTON_FIELD.exec(field);
  if (match?.[1] === undefined) return undefined;
  const slot = Number(match[1]);
  return slot > MAX_BUTTONS ? slot : undefined;
}

/** Where the whole request body is the problem (not JSON, too large, not an object). */
export const WHOLE_BODY = "body";

const MESSAGE_FIELDS: Record<string, string> = {
  header: "header_text",
  body: "body_text",
  footer: "footer_text",
};

/** The buttons of a request against the channel's limit, to name the button over it. */
export interface ButtonCount {
  /** How many buttons the request gave. */
  readonly given: number;
  /** The `maxButtons` of the channel the use case picked; unknown if it picked none. */
  readonly allowed: number | undefined;
}

/**
 * Which button an issue about the buttons as a whole is about: the first one over the
 * channel's limit (3 given, 1 allowed: `button_2_id`), the one a client must drop first.
 * Without a known limit, the last button given.
 */
function buttonOverTheLimit({ given, allowed }: ButtonCount): string {
  const slot = allowed !== undefined && allowed < given ? allowed + 1 : given;
  return buttonIdField(Math.max(1, slot));
}

/**
 * The flat field a core issue path points at: `["buttons", 1, "title"]` → `button_2_title`,
 * `["body"]` → `body_text`, and `["buttons"]` (too many for the channel) → the first button
 * over its limit.
 */
export function fieldOfPath(path: IssuePath, buttons: ButtonCount): string {
  const [head, index, key] = path;
  if (typeof head === "string" && path.length === 1 && Object.hasOwn(MESSAGE_FIELDS, head)) {
    return MESSAGE_FIELDS[head] ?? WHOLE_BODY;
  }
  if (head === "buttons") {
    if (typeof index === "number" && (key === "id" || key === "title")) {
      return key === "id" ? buttonIdField(index + 1) : buttonTitleField(index + 1);
    }
    return buttonOverTheLimit(buttons);
  }
  return WHOLE_BODY;
}

/** The core's issues, each naming the flat field it is about, messages included. */
export function fieldIssuesOf(issues: readonly Issue[], buttons: ButtonCount): FieldIssue[] {
  return issues.map((issue) => {
    const field = fieldOfPath(issue.path, buttons);
    const corePath = issue.path.join(".");
    // Core messages start with the dotted core path ("buttons.1.title is …"): say the field.
    const message =
      corePath !== "" && issue.message.startsWith(corePath)
        ? `${field}${issue.message.slice(corePath.length)}`
        : `${field}: ${issue.message}`;
    return {
      field,
      code: issue.code,
      message,
      ...(issue.providerCode === undefined ? {} : { providerCode: issue.providerCode }),
    };
  });
}
