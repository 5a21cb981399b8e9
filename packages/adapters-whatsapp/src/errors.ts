import {
  type ProviderError,
  ProviderRejected,
  ProviderUnavailable,
  type SendReceipt,
} from "@replykit/core";
import {
  errorFromStatus,
  type JsonAnswer,
  quoteProviderText,
  type Redact,
  redactor,
  unexpectedAnswer,
} from "@replykit/http-transport";
import { z } from "zod";

export const WHATSAPP_PROVIDER = "whatsapp";

// The documented success answer. Extra fields (Meta adds some, e.g. `message_status`) are
// allowed; a missing message id is not, since the id is what the caller gets back.
const successAnswer = z.looseObject({
  messaging_product: z.literal("whatsapp"),
  contacts: z.array(z.looseObject({ input: z.string(), wa_id: z.string() })),
  messages: z.array(z.looseObject({ id: z.string().min(1) })).min(1),
});

// Meta's Graph error envelope. Only `code` decides the mapping; a malformed optional field
// is dropped rather than costing us the code.
const errorEnvelope = z.looseObject({
  error: z.looseObject({
    code: z.number().int(),
    message: z.string().optional().catch(undefined),
    type: z.string().optional().catch(undefined),
    error_subcode: z.number().int().optional().catch(undefined),
    error_data: z
      .looseObject({ details: z.string().optional().catch(undefined) })
      .optional()
      .catch(undefined),
    fbtrace_id: z.string().optional().catch(undefined),
  }),
});

type MetaError = z.infer<typeof errorEnvelope>["error"];

type Outcome =
  /** Sending again unchanged fails again. */
  | "rejected"
  /** Meta asked us to slow down; nothing was sent, so a later retry is safe. */
  | "rate-limited"
  /** Meta failed on its side, possibly after sending: see `maybeSent` below. */
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

/**
 * Reads Meta's answer to a send: the `wamid` on success, otherwise the domain error that
 * keeps Meta's code and message. `secrets` are blanked out (as given and URL-encoded) of any
 * provider text quoted in an error, in case an upstream (a proxy at `baseUrl`) echoes the
 * request back.
 */
export function readWhatsAppAnswer(
  answer: JsonAnswer,
  secrets: readonly string[] = [],
): SendReceipt | ProviderError {
  if (answer.status >= 200 && answer.status < 300) {
    const success = successAnswer.safeParse(answer.body);
    if (!success.success) return unexpectedAnswer(WHATSAPP_PROVIDER, answer);
    // `.min(1)` above guarantees the first message.
    const [first] = success.data.messages;
    return first === undefined
      ? unexpectedAnswer(WHATSAPP_PROVIDER, answer)
      : { providerMessageId: first.id };
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
  const message = describe(error, known?.meaning, redactor(secrets));
  const base = { provider: WHATSAPP_PROVIDER, providerCode: error.code, httpStatus: answer.status };
  const retryAfter = answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs };

  switch (known?.outcome) {
    case "rejected":
      return new ProviderRejected({ ...base, message });
    case "rate-limited":
      return new ProviderUnavailable({ ...base, retryable: true, ...retryAfter, message });
    case "maybe-sent":
      // Meta documents 131000, 1 and 2 as "retry, but the message may have been sent". The
      // Cloud API has no idempotency key, so a retry that follows a send that did happen
      // puts a second, identical set of buttons in front of the user, who may tap both.
      // The use case retries only what an adapter marks retryable, so we mark these not
      // retryable: a possible lost message is the caller's informed decision (check the
      // status webhooks, then resend), a duplicate is not one it can take back.
      return new ProviderUnavailable({ ...base, retryable: false, ...retryAfter, message });
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
