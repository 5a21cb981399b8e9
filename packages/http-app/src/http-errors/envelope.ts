import { z } from "@hono/zod-openapi";

/** The broad kind of an error; one per HTTP status family the contract names. */
export const ERROR_TYPES = [
  "invalid_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "provider_error",
  "internal_error",
  "rate_limited",
  "unavailable",
] as const;

export type ErrorType = (typeof ERROR_TYPES)[number];

/** One problem with one field of the request. */
export const FieldIssueSchema = z
  .object({
    field: z.string().openapi({
      description:
        "A flat body field (button_2_title), a header (Idempotency-Key, Content-Type), or body for the request body as a whole.",
      example: "button_2_title",
    }),
    code: z.string().openapi({
      description: "Stable: missing_field, unknown_field, invalid_type, too_long, empty, …",
      example: "too_long",
    }),
    message: z
      .string()
      .openapi({ example: "button_2_title is 25 characters long; the limit is 20" }),
    providerCode: z.number().int().optional().openapi({
      description: "The provider's code this issue stands for: 131009 for a 4th button.",
      example: 131009,
    }),
  })
  .openapi("FieldIssue");

/** Every error this server answers has this shape, whatever its status. */
export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      type: z.enum(ERROR_TYPES),
      code: z.string().openapi({
        description:
          "Stable machine-readable code, e.g. too_many_buttons, missing_field, unknown_field, invalid_token, agent_not_found, provider_rejected.",
        example: "too_many_buttons",
      }),
      message: z.string().openapi({ description: "For humans; do not parse it." }),
      requestId: z
        .string()
        .openapi({ description: "Also sent as the X-Request-Id response header." }),
      provider: z.string().optional().openapi({ example: "whatsapp" }),
      providerCode: z.union([z.number(), z.string()]).optional().openapi({
        description: "The provider's own error code, when there is one.",
        example: 131009,
      }),
      retryable: z
        .boolean()
        .optional()
        .openapi({ description: "Provider errors only: whether sending again may succeed." }),
      deliveryUnknown: z.literal(true).optional().openapi({
        description:
          "provider_unavailable and shutting_down only, present when true: the request may have reached the provider (a timeout, a reset connection, a 5xx) and the message may have been delivered. Check before sending again, or a retry may show the buttons twice.",
      }),
      issues: z
        .array(FieldIssueSchema)
        .optional()
        .openapi({ description: "400 only: every problem found, each naming its field." }),
    }),
  })
  .openapi("ErrorEnvelope");

export type FieldIssue = z.infer<typeof FieldIssueSchema>;
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
export type ErrorBody = ErrorEnvelope["error"];
