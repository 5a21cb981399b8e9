import type { ProviderCode, ProviderError, SendReceipt } from "@replykit/core";
import {
  errorFromStatus,
  type JsonAnswer,
  quoteProviderText,
  type Redact,
  unexpectedAnswer,
} from "@replykit/http-transport";
import * as z from "zod/mini";

export const ZAPPER_PROVIDER = "zapper";

/**
 * Longest piece of ZapperAPI's own error text kept in an error message, in code points; a
 * longer one is cut there and marked with `…`, hence the `+ 1` where it is quoted.
 */
const MAX_PROVIDER_TEXT = 300;
const MAX_PROVIDER_CODE = 100;

/**
 * The success body we accept. ZapperAPI's openapi.json documents `200 "Default Response"` for
 * `/messages/buttons` with no body schema at all, so no message id field is documented. The
 * one message identity the openapi does describe is the WhatsApp message key
 * `{ remoteJid, fromMe, id, participant }` (the `key` of `POST /messages/delete`, "exactly as
 * received"), so the id is read from `key.id`; any other 2xx body is refused as unexpected
 * rather than guessed at.
 */
const sentMessage = z.looseObject({
  key: z.looseObject({ id: z.string().check(z.minLength(1)) }),
});

/**
 * What an error body may carry. The openapi documents no error response for this endpoint;
 * the only error body it shows anywhere is `{ "message": "…" }` (`DELETE /jobs/{id}`), and its
 * server answers like Fastify (`{ statusCode, code?, error, message }`). Each field is read
 * only when it has the expected type; a body of any other shape is still mapped by status.
 */
interface ZapperErrorDetails {
  readonly message: string | undefined;
  readonly code: string | undefined;
}

/**
 * Reads ZapperAPI's answer to `POST /{instanceId}/messages/buttons`: the message id on success,
 * otherwise a `ProviderRejected` (401/403 key, 400/422 validation, 404 instance, other 4xx) or
 * a retryable `ProviderUnavailable` (408, 429 and 5xx, with `Retry-After`). `redact` (made by
 * `redactor` with the API key and instance id) blanks credentials out of ZapperAPI's text,
 * which may echo them: a 404 quotes the URL path.
 */
export function readAnswer(answer: JsonAnswer, redact: Redact): SendReceipt | ProviderError {
  if (answer.status >= 200 && answer.status < 300) {
    const sent = sentMessage.safeParse(answer.body);
    return sent.success
      ? { providerMessageId: sent.data.key.id }
      : unexpectedAnswer(ZAPPER_PROVIDER, answer);
  }
  const details = errorDetails(answer.body, redact);
  // ZapperAPI has no error codes of its own; Fastify's `code` (FST_ERR_VALIDATION…) is kept
  // when present, and the HTTP status stands in for it otherwise.
  const providerCode: ProviderCode = details.code ?? answer.status;
  return errorFromStatus(answer, {
    provider: ZAPPER_PROVIDER,
    providerCode,
    message: describe(answer.status, details.message),
  });
}

function describe(status: number, providerText: string | undefined): string {
  const said = providerText === undefined ? "" : `: ${providerText}`;
  if (status === 401 || status === 403) {
    return `ZapperAPI refused the API key for this instance (HTTP ${status})${said}`;
  }
  if (status === 404) return `ZapperAPI does not know this instance (HTTP 404)${said}`;
  if (status === 400 || status === 422) {
    return `ZapperAPI rejected the message as invalid (HTTP ${status})${said}`;
  }
  if (status === 429) return `ZapperAPI is rate limiting this instance (HTTP 429)${said}`;
  if (status >= 500) return `ZapperAPI failed to send the message (HTTP ${status})${said}`;
  return `ZapperAPI answered HTTP ${status}${said}`;
}

function errorDetails(body: unknown, redact: Redact): ZapperErrorDetails {
  const quote = (text: string, max: number) => {
    const quoted = quoteProviderText(text, { redact, maxLength: max + 1 });
    return quoted === "" ? undefined : quoted;
  };
  if (typeof body === "string") return { message: quote(body, MAX_PROVIDER_TEXT), code: undefined };
  if (typeof body !== "object" || body === null) return { message: undefined, code: undefined };
  const fields = body as Record<string, unknown>;
  const text = stringField(fields.message) ?? stringField(fields.error);
  const code = stringField(fields.code);
  return {
    message: text === undefined ? undefined : quote(text, MAX_PROVIDER_TEXT),
    code: code === undefined ? undefined : quote(code, MAX_PROVIDER_CODE),
  };
}

const stringField = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined;
