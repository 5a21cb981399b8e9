import type { Authenticator, Principal } from "@replykit/core";
import { hs256Key, verifyHs256 } from "./hs256.js";

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
 * Authenticates session tokens: HS256 JWTs verified with Web Crypto (`verifyHs256`, by the
 * rules of hono/jwt's `verify`).
 * Required: a valid signature, an `exp` in the future (a token without `exp` is refused),
 * `sub` (the principal's subject) and `org` (its organization). `nbf` and `iat` are checked
 * when present. Anything else, including a token that is not a JWT, is "not recognised".
 */
export function createJwtSessionAuthenticator(options: JwtSessionOptions): Authenticator {
  if (options.secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`the JWT secret must be at least ${MIN_SECRET_LENGTH} characters long`);
  }
  const { secret, issuer, audience } = options;
  // An empty issuer or audience is refused rather than read as "any": hono/jwt, whose rules
  // the verification follows, checks them only when the expected value is truthy.
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
  const expected = {
    issuer,
    audiences:
      audience === undefined
        ? undefined
        : typeof audience === "string"
          ? [audience]
          : [...audience],
  };
  let key: Promise<CryptoKey> | undefined;

  return {
    async authenticate(token: string): Promise<Principal | undefined> {
      if (token.split(".").length !== 3) return undefined;
      let payload: Readonly<Record<string, unknown>> | undefined;
      try {
        // Imported once, when the first token comes: a failure is then every token's refusal.
        key ??= hs256Key(secret);
        payload = await verifyHs256(token, key, expected);
      } catch {
        return undefined;
      }
      if (payload === undefined) return undefined;
      const { exp, sub, org } = payload;
      if (typeof exp !== "number" || !nonEmptyString(sub) || !nonEmptyString(org)) {
        return undefined;
      }
      return { kind: "session", subject: sub, organizationId: org };
    },
  };
}
