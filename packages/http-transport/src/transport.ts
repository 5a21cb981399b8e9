export interface HttpRequest {
  readonly method: "POST" | "GET" | "PUT" | "DELETE";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  /**
   * A transport that holds a request back (waiting for a free pooled connection) calls
   * `onWait` when it starts to wait and `onDispatch` when it hands the request to the
   * network, so that the caller's timeout measures the provider, not the queue; the wait is
   * bounded by `signal` alone. A transport that never waits calls neither.
   */
  readonly onWait?: () => void;
  readonly onDispatch?: () => void;
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
