export interface HttpRequest {
  readonly method: "POST" | "GET" | "PUT" | "DELETE";
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** Header lookup by case-insensitive name. */
  header(name: string): string | undefined;
  readonly body: string;
}

/**
 * Sends one HTTP request and reads the whole answer. Rejects only when no answer arrived
 * (connection refused or reset, DNS, abort); every status, 5xx included, resolves.
 */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;
