import { z } from "@hono/zod-openapi";
import { MAX_BUTTONS, TOO_MANY_BUTTONS_PROVIDER_CODE, WHATSAPP_CLOUD_LIMITS } from "@replykit/core";
import { BUTTON_SLOTS, buttonIdField, buttonTitleField } from "./fields.js";

const text = (description: string, example: string) => z.string().openapi({ description, example });

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
function checkButtonPairs(body: Record<string, unknown>, ctx: z.RefinementCtx): void {
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

const limits = WHATSAPP_CLOUD_LIMITS;

/**
 * The request body of `POST /messages/interactive/send-buttons`, exactly the fields of the
 * contract, all strings. Strict: any other field is a 400 naming it, and `button_4_*` or
 * beyond is the contract's error 131009. Text rules (blank, length, duplicates) are the
 * core's, checked by the use case against the conversation's channel.
 */
export const SendButtonsRequestSchema = z
  .strictObject({
    agentId: text("The ID of the agent sending the message.", "agent_123"),
    conversationId: text("The ID of the conversation.", "conv_456"),
    header_text: text(
      `Text displayed in the header of the message (at most ${limits.header} characters).`,
      "Order #1234",
    ).optional(),
    body_text: text(
      `The main text of the message (at most ${limits.body} characters).`,
      "Did you receive your order?",
    ),
    footer_text: text(
      `Text displayed in the footer of the message (at most ${limits.footer} characters).`,
      "Reply with a button",
    ).optional(),
    button_1_id: text("Unique ID for the first button.", "yes"),
    button_1_title: text(
      `Display text (label) for the first button (at most ${limits.buttonTitle} characters).`,
      "Yes",
    ),
    button_2_id: text("ID for the second button (with button_2_title).", "no").optional(),
    button_2_title: text(
      "Display text (label) for the second button (with button_2_id).",
      "No",
    ).optional(),
    button_3_id: text("ID for the third button (needs button 2).", "help").optional(),
    button_3_title: text(
      "Display text (label) for the third button (needs button 2).",
      "Talk to us",
    ).optional(),
  })
  .superRefine(checkButtonPairs, { when: (payload) => isRecord(payload.value) })
  .openapi("SendButtonsRequest", {
    description: `At most ${MAX_BUTTONS} buttons (Meta API limit): sending button_4_* or beyond is a 400 with providerCode ${TOO_MANY_BUTTONS_PROVIDER_CODE}. Any field not listed here is a 400.`,
  });

export type SendButtonsRequest = z.infer<typeof SendButtonsRequestSchema>;

/** `Idempotency-Key`: 1–255 visible ASCII characters (no spaces, no control characters). */
export const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

export const SendButtonsHeadersSchema = z.object({
  "Idempotency-Key": z
    .string()
    .regex(IDEMPOTENCY_KEY, "Idempotency-Key must be 1 to 255 visible ASCII characters")
    .optional()
    .openapi({
      param: { name: "Idempotency-Key", in: "header" },
      description:
        "Makes a retry safe: a repeat with the same key and body returns the first result and sends nothing; the same key with another body is a 422.",
      example: "order-1234-confirmation",
    }),
  "X-Request-Id": z
    .string()
    .optional()
    .openapi({
      param: { name: "X-Request-Id", in: "header" },
      description:
        "Correlation id: reused if it is at most 128 characters of [A-Za-z0-9._:-], else replaced by a fresh one. Always echoed in the response.",
      example: "req-7f3a",
    }),
});

export const SendButtonsResponseSchema = z
  .object({
    messageId: z.string().openapi({ description: "replykit's id for the message." }),
    providerMessageId: z
      .string()
      .openapi({ description: "The provider's id, e.g. Meta's wamid.…", example: "wamid.HBgL…" }),
    provider: z.string().openapi({ example: "whatsapp" }),
    conversationId: z.string(),
    status: z.literal("sent").openapi({
      description: "The provider accepted the message; delivery is reported later by webhooks.",
    }),
  })
  .openapi("SendButtonsResponse");
