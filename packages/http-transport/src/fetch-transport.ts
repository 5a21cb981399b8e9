import type { HttpRequest, HttpResponse, HttpTransport } from "./transport.js";

/**
 * The default transport: the runtime's global `fetch`, so adapters run unchanged on
 * Cloudflare Workers, Deno, Bun and Node. Pass another `fetch` to instrument or proxy it.
 */
export function fetchTransport(
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): HttpTransport {
  return async ({ method, url, headers, body, signal }: HttpRequest): Promise<HttpResponse> => {
    const response = await fetchImpl(url, {
      method,
      headers,
      signal,
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    return {
      status: response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      body: text,
    };
  };
}
