import type { HttpRequest } from "../src/transport.js";

/** A JSON POST of `{}` to `url` with a signal nobody aborts, as the tests' transports get it. */
export const postRequest = (url: string, overrides: Partial<HttpRequest> = {}): HttpRequest => ({
  method: "POST",
  url,
  headers: { "content-type": "application/json" },
  body: "{}",
  signal: new AbortController().signal,
  ...overrides,
});
