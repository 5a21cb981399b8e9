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
      // A redirect is returned as an answer, classified by its status like any other (as the
      // undici transport does), never followed: following it would send the credential
      // headers (`x-api-key`, `Client-Token`) to whatever origin the `Location` names. Where
      // `fetch` hides a manual redirect (browsers: an "opaqueredirect" of status 0), it is
      // still an answer that is not a success.
      redirect: "manual",
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
