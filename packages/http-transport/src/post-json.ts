import { ProviderUnavailable } from "@replykit/core";
import { parseRetryAfter } from "./retry-after.js";
import type { HttpTransport } from "./transport.js";

export interface JsonPost {
  /** The provider's short name, for errors. */
  readonly provider: string;
  readonly transport: HttpTransport;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly json: unknown;
  /** Time allowed for the whole exchange. */
  readonly timeoutMs: number;
  /** The caller's signal: the use case aborts it when it gives up on the attempt. */
  readonly signal: AbortSignal;
}

export interface JsonAnswer {
  readonly status: number;
  /** The parsed body, or `undefined` when the body is empty or not JSON. */
  readonly body: unknown;
  readonly retryAfterMs: number | undefined;
}

/**
 * POSTs JSON and reads the answer. Whatever keeps an answer from arriving (refused or reset
 * connection, timeout, abort) becomes a retryable {@link ProviderUnavailable} whose message
 * names only the failure's code: an error's own text may quote the URL, and some providers
 * (Z-API) put a token in the path.
 */
export async function postJson(post: JsonPost): Promise<JsonAnswer> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), post.timeoutMs);
  const stop = () => deadline.abort();
  post.signal.addEventListener("abort", stop, { once: true });
  if (post.signal.aborted) deadline.abort();
  try {
    const response = await post.transport({
      method: "POST",
      url: post.url,
      headers: { "content-type": "application/json", accept: "application/json", ...post.headers },
      body: JSON.stringify(post.json),
      signal: deadline.signal,
    });
    return {
      status: response.status,
      body: parseJson(response.body),
      retryAfterMs: parseRetryAfter(response.header("retry-after")),
    };
  } catch (cause) {
    throw new ProviderUnavailable({
      provider: post.provider,
      retryable: true,
      message: post.signal.aborted
        ? `the request to ${post.provider} was abandoned before it answered`
        : deadline.signal.aborted
          ? `${post.provider} did not answer within ${post.timeoutMs} ms`
          : `could not reach ${post.provider} (${failureCode(cause)})`,
    });
  } finally {
    clearTimeout(timer);
    post.signal.removeEventListener("abort", stop);
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A short, secret-free name of a network failure, such as `ECONNRESET`. */
function failureCode(cause: unknown): string {
  const codeOf = (value: unknown): string | undefined => {
    if (typeof value !== "object" || value === null) return undefined;
    const code = (value as { code?: unknown }).code;
    return typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? code : undefined;
  };
  const nested =
    typeof cause === "object" && cause !== null ? (cause as { cause?: unknown }).cause : undefined;
  return codeOf(nested) ?? codeOf(cause) ?? (cause instanceof Error ? cause.name : "network error");
}
