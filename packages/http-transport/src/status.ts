import {
  type ProviderCode,
  type ProviderError,
  ProviderRejected,
  ProviderUnavailable,
} from "@replykit/core";
import type { JsonAnswer } from "./post-json.js";

export interface ErrorDetails {
  readonly provider: string;
  readonly providerCode?: ProviderCode | undefined;
  readonly message: string;
}

/**
 * The HTTP-level reading of a failed answer, for codes a provider does not document:
 * 408, 429 and 5xx are worth retrying, any other status is a rejection. A 5xx also says
 * `deliveryUnknown`: the server failed while handling the request, possibly after passing
 * the message on. A 408 or 429 is the server refusing to handle it at all, so it does not,
 * and neither does a 503 with `Retry-After`: that is a server (or the load balancer in front
 * of it) declining the request until later (RFC 9110 §15.6.4), not one failing half-way.
 */
export function errorFromStatus(answer: JsonAnswer, details: ErrorDetails): ProviderError {
  const { provider, providerCode, message } = details;
  const code = providerCode === undefined ? {} : { providerCode };
  if (answer.status === 408 || answer.status === 429 || answer.status >= 500) {
    return new ProviderUnavailable({
      provider,
      ...code,
      httpStatus: answer.status,
      retryable: true,
      ...(mayHaveProcessed(answer) ? { deliveryUnknown: true } : {}),
      message,
      ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }),
    });
  }
  return new ProviderRejected({ provider, ...code, httpStatus: answer.status, message });
}

const mayHaveProcessed = (answer: JsonAnswer): boolean =>
  answer.status >= 500 && !(answer.status === 503 && answer.retryAfterMs !== undefined);

/**
 * A 2xx answer whose body is not the documented shape. The provider may well have sent the
 * message (`deliveryUnknown`). Unlike a timeout or a 5xx, a success status says it most
 * likely did, so this is not retryable: a retry would most likely deliver it twice.
 */
export function unexpectedAnswer(provider: string, answer: JsonAnswer): ProviderUnavailable {
  return new ProviderUnavailable({
    provider,
    httpStatus: answer.status,
    retryable: false,
    deliveryUnknown: true,
    message: `${provider} answered HTTP ${answer.status} with a body of unexpected shape; the message may or may not have been sent`,
  });
}
