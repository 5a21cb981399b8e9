import {
  type ProviderError,
  ProviderRejected,
  ProviderUnavailable,
  type SendReceipt,
} from "@replykit/core";
import {
  errorFromStatus,
  type JsonAnswer,
  optionalOrDropped,
  quoteProviderText,
  type Redact,
  unexpectedAnswer,
} from "@replykit/http-transport";
import * as z from "zod/mini";

export const WHATSAPP_PROVIDER = "whatsapp";

// The success answer, read for the one thing the caller gets back: the first message's id.
// The rest of the documented answer (`messaging_product`, `contacts`, Meta's extra fields such
// as `message_status`) is not required: a send that worked must not be reported as a failure
// because a field we do not use is missing or has changed shape.
const successAnswer = z.looseObject({
  messages: z.tuple([z.looseObject({ id: z.string().check(z.minLength(1)) })], z.unknown()),
});

// Meta's Graph error envelope. Only `code` decides the mapping; a malformed optional field
// is dropped rather than costing us the code.
const errorEnvelope = z.looseObject({
  error: z.looseObject({
    code: z.number().check(z.int()),
    message: optionalOrDropped(z.string()),
    type: optionalOrDropped(z.string()),
    error_subcode: optionalOrDropped(z.number().check(z.int())),
    error_data: optionalOrDropped(z.looseObject({ details: optionalOrDropped(z.string()) })),
    fbtrace_id: optionalOrDropped(z.string()),
  }),
});

type MetaError = z.infer<typeof errorEnvelope>["error"];

type Outcome =
  /** Sending again unchanged fails again. */
  | "rejected"
  /** Meta asked us to slow down; nothing was sent, so a later retry is safe. */
  | "rate-limited"
  /** Meta failed on its side, possibly after sending: see the `"maybe-sent"` case below. */
  | "maybe-sent";

/** Every code of the providers/README.md table, with what it means to the sender. */
const META_CODES: Readonly<Record<number, { outcome: Outcome; meaning: string }>> = {
  131009: { outcome: "rejected", meaning: "parameter value is not valid" },
  131008: { outcome: "rejected", meaning: "required parameter is missing" },
  100: { outcome: "rejected", meaning: "invalid parameter" },
  190: { outcome: "rejected", meaning: "access token expired or invalid" },
  10: { outcome: "rejected", meaning: "permission not granted" },
  200: { outcome: "rejected", meaning: "permission not granted" },
  131047: {
    outcome: "rejected",
    meaning: "more than 24 hours since the user last replied; only a template can re-engage",
  },
  131026: { outcome: "rejected", meaning: "message undeliverable" },
  4: { outcome: "rate-limited", meaning: "application rate limit hit" },
  80007: { outcome: "rate-limited", meaning: "WhatsApp Business Account rate limit hit" },
  130429: { outcome: "rate-limited", meaning: "throughput rate limit hit" },
  131056: { outcome: "rate-limited", meaning: "too many messages to this user; pair rate limit" },
  131000: { outcome: "maybe-sent", meaning: "something went wrong at Meta" },
  1: { outcome: "maybe-sent", meaning: "unknown error at Meta" },
  2: { outcome: "maybe-sent", meaning: "service temporarily unavailable" },
};

/** Provider text is kept, but bounded: it ends up in logs and API answers. */
const MAX_PROVIDER_TEXT = 300;

/** Quotes provider text as it is: for reading answers of a channel that holds no secret. */
const keepText: Redact = (text) => text;

/**
 * Reads Meta's answer to a send: the `wamid` on success, otherwise the domain error that
 * keeps Meta's code and message. `redact` (a `redactor` of the channel's access token, made
 * once per channel) blanks credentials out of any provider text quoted in an error, in case
 * an upstream (a proxy at `baseUrl`) echoes the request back.
 */
export function readAnswer(
  answer: JsonAnswer,
  redact: Redact = keepText,
): SendReceipt | ProviderError {
  if (answer.status >= 200 && answer.status < 300) {
    const success = successAnswer.safeParse(answer.body);
    return success.success
      ? { providerMessageId: success.data.messages[0].id }
      : unexpectedAnswer(WHATSAPP_PROVIDER, answer);
  }

  const envelope = errorEnvelope.safeParse(answer.body);
  if (!envelope.success) {
    return errorFromStatus(answer, {
      provider: WHATSAPP_PROVIDER,
      message: `WhatsApp Cloud API answered HTTP ${answer.status} without Meta's JSON error envelope (the body was empty, not JSON, or of another shape)`,
    });
  }
  const error = envelope.data.error;
  const known = META_CODES[error.code];
  const message = describe(error, known?.meaning, redact);
  const base = { provider: WHATSAPP_PROVIDER, providerCode: error.code, httpStatus: answer.status };
  const retryAfter = answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs };

  switch (known?.outcome) {
    case "rejected":
      return new ProviderRejected({ ...base, message });
    case "rate-limited":
      return new ProviderUnavailable({ ...base, retryable: true, ...retryAfter, message });
    case "maybe-sent":
      // Meta documents 131000, 1 and 2 as "retry, but the message may have been sent". Both
      // halves are reported as they are: retryable, as Meta advises, and `deliveryUnknown`,
      // since the Cloud API has no idempotency key and a retry after a send that did happen
      // shows the user the same buttons twice. Whether to take that risk is not the
      // adapter's call: the use case keeps the caller's idempotency key after such a failure,
      // and its `DeliveryPolicy.retryWhenDeliveryUnknown` decides whether to retry.
      return new ProviderUnavailable({
        ...base,
        retryable: true,
        deliveryUnknown: true,
        ...retryAfter,
        message,
      });
    default:
      return errorFromStatus(answer, { ...base, message });
  }
}

function describe(error: MetaError, meaning: string | undefined, redact: Redact) {
  const quote = (text: string) => quoteProviderText(text, { redact, maxLength: MAX_PROVIDER_TEXT });
  const parts = [`Meta error ${error.code}${meaning === undefined ? "" : ` (${meaning})`}`];
  if (error.error_subcode !== undefined) parts.push(`subcode ${error.error_subcode}`);
  const head = parts.join(", ");
  const said = [error.message, error.error_data?.details]
    .filter((text): text is string => text !== undefined)
    .map(quote)
    .filter((text) => text !== "");
  const trace = error.fbtrace_id === undefined ? "" : ` [fbtrace_id ${quote(error.fbtrace_id)}]`;
  return `${head}${said.length > 0 ? `: ${said.join(" — ")}` : ""}${trace}`;
}
