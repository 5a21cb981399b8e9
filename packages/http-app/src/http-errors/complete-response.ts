import type { Context, MiddlewareHandler } from "hono";
import { isSaneRequestId, REQUEST_ID_HEADER } from "../logging/request-id.js";
import type { AppEnv } from "../routes/app-env.js";
import type { NativeRequestAccess } from "../routes/native-request.js";
import { requestHeader } from "../routes/request-header.js";

/**
 * What hono's `secureHeaders()` sets with its defaults: no browser renders these answers,
 * but a JSON API behind a proxy gains from the same hardening (nosniff, no framing, no
 * referrer, HSTS).
 */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "origin-agent-cluster": "?1",
  "referrer-policy": "no-referrer",
  "strict-transport-security": "max-age=15552000; includeSubDomains",
  "x-content-type-options": "nosniff",
  "x-dns-prefetch-control": "off",
  "x-download-options": "noopen",
  "x-frame-options": "SAMEORIGIN",
  "x-permitted-cross-domain-policies": "none",
  "x-xss-protection": "0",
};
const SECURITY_ENTRIES = Object.entries(SECURITY_HEADERS);

/** Answers built by {@link completeJson}: every header of {@link answerHeaders} is on them. */
const complete = new WeakSet<Response>();

/**
 * A JSON answer with every header set at once, as a plain record: the request id, the
 * security headers and `extra` (lower-cased names). `@hono/node-server` writes such an
 * answer straight from that record; an answer built by hono's `c.json` gets its headers
 * afterwards, one `Headers.set` each, which is what {@link answerHeaders} does for the rest.
 */
export function completeJson(
  c: Context<AppEnv>,
  body: unknown,
  status: number,
  extra?: Readonly<Record<string, string>>,
): Response {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    ...SECURITY_HEADERS,
    "x-request-id": c.get("requestId"),
  };
  if (extra !== undefined) {
    for (const name of Object.keys(extra)) headers[name.toLowerCase()] = extra[name] as string;
  }
  const response = new Response(JSON.stringify(body), { status, headers });
  complete.add(response);
  return response;
}

/**
 * The request id — the caller's sane `X-Request-Id` or a fresh one — as the `requestId`
 * variable and on every answer, errors included, with the security headers: set once on an
 * answer of {@link completeJson}, added afterwards to any other.
 */
export const answerHeaders =
  (
    newRequestId: () => string = () => crypto.randomUUID(),
    native?: NativeRequestAccess,
  ): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const headerReader = native?.headers?.(c.env);
    if (headerReader !== undefined) c.set("headerReader", headerReader);
    const incoming = requestHeader(c, REQUEST_ID_HEADER);
    const requestId = isSaneRequestId(incoming) ? incoming : newRequestId();
    c.set("requestId", requestId);
    await next();
    if (complete.has(c.res)) return;
    const headers = c.res.headers;
    if (!headers.has(REQUEST_ID_HEADER)) headers.set(REQUEST_ID_HEADER, requestId);
    for (const [name, value] of SECURITY_ENTRIES) headers.set(name, value);
    headers.delete("X-Powered-By");
  };
