import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { type UnauthorizedReason, unauthorized } from "../http-errors/http-error.js";
import { respondWithError } from "../http-errors/respond.js";
import type { AppEnv } from "../routes/app-env.js";
import { requestHeader } from "../routes/request-header.js";

/** RFC 6750 / 7235: the scheme is case-insensitive; the token is visible ASCII, no spaces. */
const BEARER = /^Bearer +([\x21-\x7E]+) *$/i;

export type BearerParse =
  | { readonly ok: true; readonly token: string }
  | { readonly ok: false; readonly reason: Exclude<UnauthorizedReason, "invalid_token"> };

/** Reads `Authorization: Bearer <token>`; says why when the header is missing or malformed. */
export function parseBearer(header: string | undefined): BearerParse {
  if (header === undefined || header.trim() === "") return { ok: false, reason: "missing_token" };
  const token = BEARER.exec(header)?.[1];
  return token === undefined
    ? { ok: false, reason: "malformed_authorization" }
    : { ok: true, token };
}

/**
 * The token of `Authorization: Bearer <token>`, or the 401 answer (with
 * `WWW-Authenticate: Bearer`) when the header is missing or not `Bearer <token>`. Whether the
 * token is *valid* is `authenticateCaller`'s question, asked next and before the body is read.
 */
export function bearerTokenOf(c: Context<AppEnv>) {
  const parsed = parseBearer(requestHeader(c, "Authorization"));
  return parsed.ok
    ? parsed.token
    : respondWithError(c, unauthorized(parsed.reason, c.get("requestId")));
}

/** {@link bearerTokenOf} as middleware: the token is left as the `bearerToken` variable. */
export const requireBearer = createMiddleware<AppEnv>(async (c, next) => {
  const token = bearerTokenOf(c);
  if (typeof token !== "string") return token;
  c.set("bearerToken", token);
  await next();
});
