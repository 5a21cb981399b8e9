import * as z from "zod/mini";
import { BUTTON_SLOTS, buttonIdField, buttonTitleField } from "./fields.js";
import { parseValidRequest } from "./valid-request.js";

// zod/mini, imported as a namespace: its `z` re-export would keep every schema of zod in an
// edge bundle, and its classic API (methods on each schema) several times more. The
// descriptions and examples of `GET /openapi.json` are not here: the document is generated
// at build time (scripts/openapi-document.ts), so that none of it is code at run time.
const text = z.string();
const optionalText = z.optional(text);

/** An issue code of our own on a refinement, read back by the body-issue mapper. */
export interface RefinementParams {
  readonly code: "missing_field";
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const present = (body: Record<string, unknown>, field: string): boolean =>
  body[field] !== undefined;

/**
 * Button N comes as a pair (`button_N_id` and `button_N_title`), and buttons are numbered
 * without gaps (button 3 needs button 2). Runs even when another field has the wrong type,
 * so that one answer lists every problem.
 */
function checkButtonPairs(body: Record<string, unknown>, ctx: z.core.$RefinementCtx): void {
  const missing = (field: string, message: string) =>
    ctx.addIssue({
      code: "custom",
      path: [field],
      message,
      params: { code: "missing_field" } satisfies RefinementParams,
    });
  for (const slot of BUTTON_SLOTS) {
    const id = buttonIdField(slot);
    const title = buttonTitleField(slot);
    // Button 1 is required on its own; zod already reports it missing.
    if (slot === 1) continue;
    if (present(body, id) && !present(body, title)) {
      missing(title, `${title} is required when ${id} is given`);
    }
    if (present(body, title) && !present(body, id)) {
      missing(id, `${id} is required when ${title} is given`);
    }
  }
  const three = present(body, buttonIdField(3)) || present(body, buttonTitleField(3));
  const two = present(body, buttonIdField(2)) || present(body, buttonTitleField(2));
  if (three && !two) {
    for (const field of [buttonIdField(2), buttonTitleField(2)]) {
      missing(field, `${field} is required when button 3 is given (buttons are numbered 1, 2, 3)`);
    }
  }
}

/** The fields of the request body, in the order of the contract. */
export const SEND_BUTTONS_FIELDS = {
  agentId: text,
  conversationId: text,
  header_text: optionalText,
  body_text: text,
  footer_text: optionalText,
  button_1_id: text,
  button_1_title: text,
  button_2_id: optionalText,
  button_2_title: optionalText,
  button_3_id: optionalText,
  button_3_title: optionalText,
};

/**
 * The schema as zod runs it, without the fast path: what every answer to a body that is not
 * valid comes from (and what the fast path is tested against).
 */
export const CheckedSendButtonsRequestSchema = z.strictObject(SEND_BUTTONS_FIELDS).check(
  z.superRefine(checkButtonPairs as (body: unknown, ctx: z.core.$RefinementCtx) => void, {
    when: (payload) => isRecord(payload.value),
  }),
);

/**
 * The request body of `POST /messages/interactive/send-buttons`, exactly the fields of the
 * contract, all strings. Strict: any other field is a 400 naming it, and `button_4_*` or
 * beyond is the contract's error 131009. Text rules (blank, length, duplicates) are the
 * core's, checked by the use case against the conversation's channel.
 *
 * Its `safeParse` and `parse` recognise a valid body by hand first ({@link parseValidRequest}),
 * some ten times faster than zod's own parse and without `new Function` (refused on
 * Workers); any other body goes through zod, which says what is wrong with it. (zod's own
 * `withParser` does the same, but brings its schema compiler's support code along.)
 */
export const SendButtonsRequestSchema = withFastPath(
  CheckedSendButtonsRequestSchema,
  parseValidRequest,
);

/**
 * A copy of `schema` whose `safeParse` and `parse` answer from `fast` when it returns a
 * value, and from `schema` otherwise. Anything else (nested in another schema, the async
 * parses) runs `schema` as it is: slower, never different.
 */
function withFastPath<Schema extends z.ZodMiniType>(
  schema: Schema,
  fast: (input: unknown) => z.output<Schema> | undefined,
): Schema {
  const copy = schema.clone();
  copy.safeParse = (data, params) => {
    const value = fast(data);
    return value === undefined ? schema.safeParse(data, params) : { success: true, data: value };
  };
  copy.parse = (data, params) => fast(data) ?? schema.parse(data, params);
  return copy;
}

export type SendButtonsRequest = z.infer<typeof CheckedSendButtonsRequestSchema>;

/** `Idempotency-Key`: 1–255 visible ASCII characters (no spaces, no control characters). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

export const SendButtonsHeadersSchema = z.object({
  "Idempotency-Key": z.optional(
    z
      .string()
      .check(z.regex(IDEMPOTENCY_KEY, "Idempotency-Key must be 1 to 255 visible ASCII characters")),
  ),
  "X-Request-Id": z.optional(z.string()),
});

export const SendButtonsResponseSchema = z.object({
  messageId: z.string(),
  providerMessageId: z.string(),
  provider: z.string(),
  conversationId: z.string(),
  status: z.literal("sent"),
});
