import type { Authenticator, Principal } from "@replykit/core";
import { verify } from "hono/jwt";

export interface JwtSessionOptions {
  /** The HS256 shared secret: at least 32 characters (256 bits, RFC 7518 §3.2). */
  readonly secret: string;
  /** When set, the token's `iss` must equal it. Not empty. */
  readonly issuer?: string;
  /** When set, the token's `aud` must be (or contain) one of these. Not empty, nor any of them. */
  readonly audience?: string | readonly string[];
}

const MIN_SECRET_LENGTH = 32;
const nonEmptyString = (value: unknown): value is string =>
  typeof value === "string" && value.trim() !== "";

/**
 * Authenticates session tokens: HS256 JWTs verified with hono's Web Crypto `verify`.
 * Required: a valid signature, an `exp` in the future (a token without `exp` is refused),
 * `sub` (the principal's subject) and `org` (its organization). `nbf` and `iat` are checked
 * when present. Anything else, including a token that is not a JWT, is "not recognised".
 */
export function createJwtSessionAuthenticator(options: JwtSessionOptions): Authenticator {
  if (options.secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`the JWT secret must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  const { secret, issuer, audience } = options;
  // hono/jwt checks `iss` and `aud` only when the expected value is truthy: an empty one
  // would accept tokens of any issuer or audience while looking configured.
  if (issuer === "") {
    throw new Error("the JWT issuer must not be empty: leave it out to accept any issuer");
  }
  if (
    audience !== undefined &&
    (typeof audience === "string" ? [audience] : audience).some((value) => value === "")
  ) {
    throw new Error("a JWT audience must not be empty: leave it out to accept any audience");
  }
  if (Array.isArray(audience) && audience.length === 0) {
    throw new Error("the list of JWT audiences must not be empty: leave it out to accept any");
  }
  const verifyOptions = {
    alg: "HS256" as const,
    ...(issuer === undefined ? {} : { iss: issuer }),
    ...(audience === undefined
      ? {}
      : { aud: typeof audience === "string" ? audience : [...audience] }),
  };

  return {
    async authenticate(token: string): Promise<Principal | undefined> {
      if (token.split(".").length !== 3) return undefined;
      let payload: Record<string, unknown>;
      try {
        payload = await verify(token, secret, verifyOptions);
      } catch {
        return undefined;
      }
      const { exp, sub, org } = payload;
      if (typeof exp !== "number" || !nonEmptyString(sub) || !nonEmptyString(org)) {
        return undefined;
      }
      return { kind: "session", subject: sub, organizationId: org };
    },
  };
}
