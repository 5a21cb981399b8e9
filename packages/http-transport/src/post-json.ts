import { type Cancellation, ProviderUnavailable } from "@replykit/core";
import { parseRetryAfter } from "./retry-after.js";
import {
  AnswerTimedOut,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  isSelfTimed,
  readsSignalOnDemand,
} from "./transport.js";

export interface JsonPost {
  /** The provider's short name, for errors. */
  readonly provider: string;
  readonly transport: HttpTransport;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly json: unknown;
  /**
   * Time allowed for the provider to answer, counted from when the transport hands the
   * request to the network: a wait for a pooled connection (`HttpRequest.onWait`) is
   * bounded by `signal` alone.
   */
  readonly timeoutMs: number;
  /**
   * The caller's signal: the use case aborts it when it gives up on the attempt. It may be
   * given as a function that returns it, which `postJson` calls only when `cancellation` is
   * unset or the transport needs an `AbortSignal` (it is not a
   * {@link SignalOnDemandTransport}): a send's context makes its signal when first read.
   */
  readonly signal: AbortSignal | (() => AbortSignal);
  /** The same abort as `signal`, heard without it (`SendContext.cancellation`). */
  readonly cancellation?: Cancellation | undefined;
  /**
   * When set, `signal` aborts on its own within this many ms (the attempt's timeout, see
   * `SendContext.signalTimeoutMs`). If that is no later than `timeoutMs`, a transport that
   * does not keep time itself gets `signal` alone: a deadline of postJson's own could never
   * fire first.
   */
  readonly signalTimeoutMs?: number | undefined;
}

export interface JsonAnswer {
  readonly status: number;
  /** The parsed body, or `undefined` when the body is empty or not JSON. */
  readonly body: unknown;
  readonly retryAfterMs: number | undefined;
}

/**
 * The failure codes that prove no byte of the request was written, so the message cannot
 * have been delivered: the connection was refused, the name did not resolve, undici gave
 * up connecting (its connect timeout also covers the TLS handshake, before which nothing of
 * the request is sent), or the transport gave the request up while it still held it back
 * (`RequestNotSent`). Both transports report them: undici on the error, `fetch` on its
 * `cause`. Every other failure (a reset, a socket error, a timeout or abort while the request
 * may be on the wire) may come after the provider got the request.
 */
const NOTHING_SENT: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_REQUEST_NOT_SENT",
]);

/**
 * POSTs JSON and reads the answer. Whatever keeps an answer from arriving (refused or reset
 * connection, timeout, abort) becomes a retryable {@link ProviderUnavailable} whose message
 * names only the failure's code: an error's own text may quote the URL, and some providers
 * (Z-API) put a token in the path. It says `deliveryUnknown: true` unless the failure proves
 * the request was never sent (see {@link NOTHING_SENT}), since a provider that got the
 * request may have delivered the message even though its answer never came back.
 */
export async function postJson(post: JsonPost): Promise<JsonAnswer> {
  const cancellation = post.cancellation ?? signalOf(post);
  if (cancellation.aborted) {
    // Nothing has been handed to the transport: the one abort that proves nothing was sent.
    throw new ProviderUnavailable({
      provider: post.provider,
      retryable: true,
      message: `the request to ${post.provider} was abandoned before it was sent`,
    });
  }
  const headers = jsonHeaders(post.headers);
  const body = JSON.stringify(post.json);
  const request: HttpRequest = readsSignalOnDemand(post.transport)
    ? new OnDemandPost(post, post.url, headers, body, post.timeoutMs, cancellation)
    : {
        method: "POST",
        url: post.url,
        headers,
        body,
        signal: signalOf(post),
        cancellation,
        timeoutMs: post.timeoutMs,
      };
  try {
    const response =
      isSelfTimed(post.transport) || signalComesFirst(post)
        ? await post.transport(request)
        : await sendWithDeadline(post.transport, request, post.timeoutMs);
    return {
      status: response.status,
      body: parseJson(response.body),
      retryAfterMs: parseRetryAfter(response.header("retry-after")),
    };
  } catch (cause) {
    const code = failureCode(cause);
    const nothingSent = code !== undefined && NOTHING_SENT.has(code);
    throw new ProviderUnavailable({
      provider: post.provider,
      retryable: true,
      ...(nothingSent ? {} : { deliveryUnknown: true }),
      message: describeFailure(post, {
        nothingSent,
        timedOut: cause instanceof AnswerTimedOut,
        code,
        cause,
      }),
    });
  }
}

/**
 * The request handed to a {@link SignalOnDemandTransport}: its `signal` is read from the
 * post only if the transport asks for it. A class, not an object literal with a getter: V8
 * keeps an own accessor per object, which itself makes a request's objects survive
 * scavenges.
 */
class OnDemandPost implements HttpRequest {
  readonly method = "POST";

  constructor(
    readonly post: JsonPost,
    readonly url: string,
    readonly headers: Readonly<Record<string, string>>,
    readonly body: string,
    readonly timeoutMs: number,
    readonly cancellation: Cancellation,
  ) {}

  get signal(): AbortSignal {
    return signalOf(this.post);
  }
}

const signalOf = ({ signal }: JsonPost): AbortSignal =>
  typeof signal === "function" ? signal() : signal;

const signalComesFirst = (post: JsonPost): boolean =>
  post.signalTimeoutMs !== undefined && post.signalTimeoutMs <= post.timeoutMs;

// A channel passes the same frozen headers to every post: they are merged once.
const mergedHeaders = new WeakMap<object, Readonly<Record<string, string>>>();

function jsonHeaders(headers: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  let merged = mergedHeaders.get(headers);
  if (merged === undefined) {
    merged = { "content-type": "application/json", accept: "application/json", ...headers };
    if (Object.isFrozen(headers)) mergedHeaders.set(headers, merged);
  }
  return merged;
}

/**
 * For a transport that does not keep time itself: a deadline of `timeoutMs` from the
 * dispatch (the hooks pause it while the transport holds the request back), which aborts
 * the request and fails it with {@link AnswerTimedOut}; the caller's abort aborts it too.
 */
async function sendWithDeadline(
  transport: HttpTransport,
  request: HttpRequest,
  timeoutMs: number,
): Promise<HttpResponse> {
  const deadline = new AbortController();
  const caller = request.cancellation ?? request.signal;
  const giveUp = () => deadline.abort();
  let timer = setTimeout(giveUp, timeoutMs);
  caller.addEventListener("abort", giveUp);
  try {
    return await transport({
      ...request,
      signal: deadline.signal,
      cancellation: deadline.signal,
      onWait: () => clearTimeout(timer),
      onDispatch: () => {
        timer = setTimeout(giveUp, timeoutMs);
      },
    });
  } catch (cause) {
    // The transport's own failure stays the cause: its code still tells whether anything
    // was sent.
    throw deadline.signal.aborted && !caller.aborted
      ? new AnswerTimedOut(timeoutMs, { cause })
      : cause;
  } finally {
    clearTimeout(timer);
    caller.removeEventListener("abort", giveUp);
  }
}

interface Failure {
  readonly nothingSent: boolean;
  readonly timedOut: boolean;
  readonly code: string | undefined;
  readonly cause: unknown;
}

function describeFailure(post: JsonPost, { nothingSent, timedOut, code, cause }: Failure): string {
  const provider = post.provider;
  const cancellation = post.cancellation ?? signalOf(post);
  if (cancellation.aborted) {
    const why = isTimeout(cancellation.reason) ? "the attempt timed out" : "it was abandoned";
    return nothingSent
      ? `the request to ${provider} was not sent: ${why} while it waited for a connection`
      : `${provider} did not answer before ${why}; the message may or may not have been sent`;
  }
  if (timedOut) return `${provider} did not answer within ${post.timeoutMs} ms`;
  return `could not reach ${provider} (${code ?? (cause instanceof Error ? cause.name : "network error")})`;
}

const isTimeout = (reason: unknown): boolean =>
  typeof reason === "object" &&
  reason !== null &&
  (reason as { name?: unknown }).name === "TimeoutError";

/** The body's JSON, or `undefined` for an empty body (which `JSON.parse` refuses too). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A short, secret-free name of a network failure, such as `ECONNRESET`: the code of the
 * error's `cause` (where `fetch` puts it), else of the error itself (undici).
 */
function failureCode(cause: unknown): string | undefined {
  const nested =
    typeof cause === "object" && cause !== null ? (cause as { cause?: unknown }).cause : undefined;
  return codeOf(nested) ?? codeOf(cause);
}

function codeOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  if (typeof code === "string" && /^[A-Z0-9_]+$/.test(code)) return code;
  // Node tries each address of a host in turn and, when all fail, reports an AggregateError
  // of one error per address; it names a single code only when every attempt agrees.
  const errors = (value as { errors?: unknown }).errors;
  if (!Array.isArray(errors)) return undefined;
  // No errors at all name no code either: the set is then empty.
  const codes = new Set(errors.map(codeOf));
  const [only] = codes;
  return codes.size === 1 ? only : undefined;
}
