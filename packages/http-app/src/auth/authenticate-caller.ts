import type { Authenticator } from "@replykit/core";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { tooManyAuthFailures, unauthorized } from "../http-errors/http-error.js";
import { respondWithError } from "../http-errors/respond.js";
import type { AuthFailureLimiter } from "../limits/auth-failure-limiter.js";
import type { AppEnv } from "../routes/app-env.js";
import { requestHeader } from "../routes/request-header.js";

/** Names the client a request came from, for counting its failed authentications. */
export type ClientAddress = (c: Context<AppEnv>) => string | undefined;

/**
 * Checks a bearer token before anything reads the body, so that a caller without a valid
 * token costs one hash, not a parse and a validation: whom the token stands for, or the
 * answer that refuses it. A client with too many recent failures (see
 * {@link AuthFailureLimiter}) is refused with 429 before its token is hashed; a client whose
 * address is unknown is not counted, rather than counted with everyone else.
 */
export const callerCheck = (
  authenticator: Authenticator,
  limiter: AuthFailureLimiter,
  clientAddress: ClientAddress,
) =>
  async function checkCaller(c: Context<AppEnv>, token: string) {
    const requestId = c.get("requestId");
    const client = clientAddress(c);
    const blockedFor = client === undefined ? undefined : limiter.blockedFor(client);
    if (blockedFor !== undefined) {
      return respondWithError(c, tooManyAuthFailures(requestId, blockedFor));
    }
    const principal = await authenticator.authenticate(token);
    if (principal === undefined) {
      if (client !== undefined) limiter.recordFailure(client);
      return respondWithError(c, unauthorized("invalid_token", requestId));
    }
    return principal;
  };

/** What {@link callerCheck} builds: whom a token stands for, or the refusal. */
export type CallerCheck = ReturnType<typeof callerCheck>;

/**
 * {@link callerCheck} as middleware, after `requireBearer`: checks the `bearerToken`
 * variable and leaves whom it stands for as the `principal` variable.
 */
export const authenticateCaller = (
  authenticator: Authenticator,
  limiter: AuthFailureLimiter,
  clientAddress: ClientAddress,
) => {
  const checkCaller = callerCheck(authenticator, limiter, clientAddress);
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = await checkCaller(c, c.get("bearerToken"));
    if (principal instanceof Response) return principal;
    c.set("principal", principal);
    await next();
  });
};

/**
 * The client's address from a request header set by a proxy you trust (e.g.
 * `cf-connecting-ip` on Cloudflare, `x-real-ip` behind nginx). Never trust such a header
 * when clients can reach the server directly: they could then pick the address counted.
 */
export const addressFromHeader =
  (header: string): ClientAddress =>
  (c) => {
    const value = requestHeader(c, header)?.split(",")[0]?.trim();
    return value === undefined || value === "" ? undefined : value.slice(0, 64);
  };
