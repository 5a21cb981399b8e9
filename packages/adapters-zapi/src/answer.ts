import {
  type ProviderCode,
  type ProviderError,
  ProviderRejected,
  ProviderUnavailable,
  type SendReceipt,
} from "@replykit/core";
import {
  errorFromStatus,
  type JsonAnswer,
  oneLine,
  optionalOrDropped,
  quoteProviderText,
  type Redact,
  unexpectedAnswer,
} from "@replykit/http-transport";
import * as z from "zod/mini";

export const ZAPI_PROVIDER = "zapi";

/**
 * Z-API's documented success body: `{ zaapId, messageId, id }`. `messageId` is the WhatsApp
 * message id (the one webhooks quote back as `referenceMessageId`); `id` is documented as a
 * copy of it "for Zapier compatibility", and older pages of the docs show no `id` at all.
 * So `messageId` is read first and `id` only stands in when `messageId` is absent.
 */
const successBody = z.looseObject({
  zaapId: z.optional(z.string()),
  messageId: z.optional(z.string().check(z.minLength(1))),
  id: z.optional(z.string().check(z.minLength(1))),
});

/**
 * Z-API documents no error envelope beyond `{ "error": "…" }` (e.g. `"null not allowed"`
 * without a Client-Token); a `message` with details and a `code` are read when present.
 * A field of another type is ignored rather than discarding the rest.
 */
const errorBody = z.looseObject({
  error: optionalOrDropped(z.string()),
  message: optionalOrDropped(z.string()),
  code: optionalOrDropped(z.union([z.string(), z.number()])),
});

/** Longest stretch of the provider's own text kept in an error message. */
const MAX_PROVIDER_TEXT = 300;

// What Z-API says when the instance's phone is not paired: the texts of GET /status
// ("You are not connected.", "You need to restore the session.") and their variants.
const DISCONNECTED = /not connected|restore the session|disconnected/i;
const INSTANCE_NOT_FOUND = /instance not found/i;
const CLIENT_TOKEN_PROBLEM = /client-token|null not allowed/i;

/**
 * Reads Z-API's answer to a send: the message id on success, otherwise the domain error.
 * `redact` (a `redactor` of the channel's credentials, made once per channel) scrubs any
 * text quoted from Z-API: it has been seen echoing a wrong `Client-Token` back in its error
 * (`"Client-Token … not allowed"`).
 */
export function readAnswer(answer: JsonAnswer, redact: Redact): SendReceipt | ProviderError {
  if (answer.status >= 200 && answer.status < 300) return receiptOf(answer);

  const details = errorBody.safeParse(answer.body);
  const fields = details.success ? details.data : {};
  const said = providerText(fields.error, fields.message, redact);
  const providerCode = codeOf(fields.code) ?? answer.status;
  const quoted = said === undefined ? `HTTP ${answer.status}` : `HTTP ${answer.status}: ${said}`;
  const base = { provider: ZAPI_PROVIDER, providerCode, httpStatus: answer.status };
  // Z-API's texts are read on 4xx only: a 5xx stays a retryable server error whatever it says.
  const clientError = answer.status >= 400 && answer.status < 500;
  const says = (pattern: RegExp) => clientError && said !== undefined && pattern.test(said);

  if (says(DISCONNECTED)) {
    // An outage of this channel only, but one that needs a person to re-pair the phone:
    // retrying within the request cannot help, so it is not retryable.
    return new ProviderUnavailable({
      ...base,
      retryable: false,
      message: `the Z-API instance is not connected to WhatsApp (${quoted}); reconnect it in the Z-API panel`,
    });
  }
  if (answer.status === 404 || says(INSTANCE_NOT_FOUND)) {
    return new ProviderRejected({
      ...base,
      message: `Z-API does not know this instance (${quoted}); check instanceId, instanceToken and baseUrl`,
    });
  }
  if (answer.status === 401 || answer.status === 403 || says(CLIENT_TOKEN_PROBLEM)) {
    return new ProviderRejected({
      ...base,
      message: `Z-API refused the account security token (${quoted}); check clientToken`,
    });
  }
  if (answer.status === 405 || answer.status === 415) {
    return new ProviderRejected({
      ...base,
      message: `Z-API refused the request's method or content type (${quoted}); this is a bug in @replykit/adapters-zapi`,
    });
  }
  return errorFromStatus(answer, {
    provider: ZAPI_PROVIDER,
    providerCode,
    message: `Z-API did not send the message (${quoted})`,
  });
}

function receiptOf(answer: JsonAnswer): SendReceipt | ProviderError {
  const parsed = successBody.safeParse(answer.body);
  const providerMessageId = parsed.success ? (parsed.data.messageId ?? parsed.data.id) : undefined;
  return providerMessageId === undefined
    ? unexpectedAnswer(ZAPI_PROVIDER, answer)
    : { providerMessageId };
}

function codeOf(code: string | number | undefined): ProviderCode | undefined {
  if (typeof code === "number") return Number.isFinite(code) ? code : undefined;
  // A code is a short identifier; anything longer is prose and stays in the message.
  return code !== undefined && /^[\w.-]{1,64}$/.test(code) ? code : undefined;
}

/**
 * Z-API's `error` and `message`, each on one line, joined when they differ, then quoted
 * whole: credentials redacted and {@link MAX_PROVIDER_TEXT} code points at most.
 */
function providerText(
  error: string | undefined,
  message: string | undefined,
  redact: Redact,
): string | undefined {
  const parts = [error, message]
    .map((part) => (part === undefined ? "" : oneLine(part)))
    .filter((part) => part !== "");
  const unique = [...new Set(parts)];
  if (unique.length === 0) return undefined;
  return quoteProviderText(unique.join(": "), { redact, maxLength: MAX_PROVIDER_TEXT });
}
