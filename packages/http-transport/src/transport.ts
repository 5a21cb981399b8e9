import type { Cancellation } from "@replykit/core";

export interface HttpRequest {
  readonly method: "POST" | "GET" | "PUT" | "DELETE";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * Aborted when the caller gives up on the request. For a {@link SignalOnDemandTransport}
   * it may be an accessor that makes the signal when first read.
   */
  readonly signal: AbortSignal;
  /**
   * The same abort as `signal`, heard without an `AbortSignal`: a transport that only needs
   * to hear of the abort listens here when it is set.
   */
  readonly cancellation?: Cancellation | undefined;
  /**
   * A transport that holds a request back (waiting for a free pooled connection) calls
   * `onWait` when it starts to wait and `onDispatch` when it hands the request to the
   * network, so that the caller's timeout measures the provider, not the queue; the wait is
   * bounded by `signal` alone. A transport that never waits calls neither.
   */
  readonly onWait?: () => void;
  readonly onDispatch?: () => void;
  /**
   * Time allowed for the answer, counted from when the request is handed to the network (a
   * wait for a pooled connection does not count). Only a {@link SelfTimedTransport} reads it;
   * for any other transport the caller keeps the time itself.
   */
  readonly timeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Header lookup by case-insensitive name. */
  header(name: string): string | undefined;
  readonly body: string;
}

/**
 * Sends one HTTP request and reads the whole answer. Rejects only when no answer arrived
 * (connection refused or reset, DNS, abort); every status, 5xx included, resolves. A
 * request given up before any byte of it left rejects with {@link RequestNotSent}.
 */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * A transport that keeps {@link HttpRequest.timeoutMs} itself and rejects with
 * {@link AnswerTimedOut} once it has passed, so that a caller needs no timer nor
 * `AbortController` of its own beside the signal it passes (`postJson` relies on it).
 */
export interface SelfTimedTransport extends HttpTransport {
  readonly enforcesTimeout: true;
}

export const isSelfTimed = (transport: HttpTransport): transport is SelfTimedTransport =>
  (transport as Partial<SelfTimedTransport>).enforcesTimeout === true;

/**
 * A transport that listens for the abort on {@link HttpRequest.cancellation} when it is set,
 * and reads `signal` only when it needs an `AbortSignal`, from the request it was given (a
 * copy made by spreading it may lack `signal`). `postJson` then hands it a request whose
 * signal is made only on that read: on Node 20, making an `AbortSignal` has V8 promote what
 * the request allocated around it to the old generation.
 */
export interface SignalOnDemandTransport extends HttpTransport {
  readonly signalOnDemand: true;
}

export const readsSignalOnDemand = (
  transport: HttpTransport,
): transport is SignalOnDemandTransport =>
  (transport as Partial<SignalOnDemandTransport>).signalOnDemand === true;

/**
 * No answer came within {@link HttpRequest.timeoutMs}: the request was on the wire, so the
 * provider may have acted on it.
 */
export class AnswerTimedOut extends Error {
  readonly code = "ERR_ANSWER_TIMEOUT";
  override readonly name = "AnswerTimedOut";
  constructor(
    readonly timeoutMs: number,
    options?: ErrorOptions,
  ) {
    super(`no answer within ${timeoutMs} ms`, options);
  }
}

/**
 * The request was abandoned (its signal aborted) while the transport still held it back,
 * so nothing of it reached the network: sending it again cannot make a duplicate.
 */
export class RequestNotSent extends Error {
  readonly code = "ERR_REQUEST_NOT_SENT";
  override readonly name = "RequestNotSent";
  constructor() {
    super("the request was abandoned before it was sent");
  }
}
