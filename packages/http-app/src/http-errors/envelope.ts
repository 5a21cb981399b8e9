import * as z from "zod/mini";

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

// zod/mini, as a namespace (see routes/schemas.ts); the documentation of each field is in
// the OpenAPI document, generated at build time (scripts/openapi-document.ts).

/** One problem with one field of the request. */
export const FieldIssueSchema = z.object({
  field: z.string(),
  code: z.string(),
  message: z.string(),
  providerCode: z.optional(z.int()),
});

/** Every error this server answers has this shape, whatever its status. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    type: z.enum(ERROR_TYPES),
    code: z.string(),
    message: z.string(),
    requestId: z.string(),
    provider: z.optional(z.string()),
    providerCode: z.optional(z.union([z.number(), z.string()])),
    retryable: z.optional(z.boolean()),
    deliveryUnknown: z.optional(z.literal(true)),
    issues: z.optional(z.array(FieldIssueSchema)),
  }),
});

export type FieldIssue = z.infer<typeof FieldIssueSchema>;
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
export type ErrorBody = ErrorEnvelope["error"];
