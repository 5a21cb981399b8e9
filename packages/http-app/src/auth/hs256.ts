// HS256 JSON Web Tokens verified with Web Crypto alone, by the rules of hono/jwt's `verify`
// (hono 4.13) for the one algorithm replykit accepts: hono/jwt carries every JWS algorithm
// (RSA, ECDSA, EdDSA, PEM and JWK keys), 8 KiB of a Workers bundle that needs HMAC only.
// test/hs256.property.test.ts holds the two to the same verdicts.

/** What a token's claims must match beyond its signature and times. */
export interface Hs256Expectations {
  /** The `iss` the token must carry, exactly. */
  readonly issuer?: string | undefined;
  /** The token's `aud` (one or a list) must hold at least one of these. */
  readonly audiences?: readonly string[] | undefined;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** base64url as `atob` reads it (forgiving: padding optional), else a thrown error. */
function base64UrlBytes(encoded: string): Uint8Array<ArrayBuffer> {
  const binary = atob(encoded.replace(/[-_]/g, (character) => (character === "-" ? "+" : "/")));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

const jsonPart = (part: string): unknown => JSON.parse(text.decode(base64UrlBytes(part)));

/** `typ`, if given, must say JWT (any case, `application/` optional); no `crit` is understood. */
function isHs256Header(header: unknown): boolean {
  if (typeof header !== "object" || header === null) return false;
  const fields = header as Record<string, unknown>;
  if (!("alg" in fields) || fields.alg !== "HS256" || "crit" in fields) return false;
  if (!("typ" in fields)) return true;
  return (
    typeof fields.typ === "string" &&
    fields.typ.toLowerCase().replace(/^application\//, "") === "jwt"
  );
}

/** A time claim, when present: a finite number that `holds` for the current second. */
const timeClaimHolds = (value: unknown, holds: (seconds: number) => boolean): boolean =>
  value === undefined || (typeof value === "number" && Number.isFinite(value) && holds(value));

/** The HMAC key of a secret: its UTF-8 bytes, for verifying only. */
export const hs256Key = (secret: string): Promise<CryptoKey> =>
  crypto.subtle.importKey("raw", utf8.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "verify",
  ]);

/**
 * The claims of `token` when it is a JWS in compact form whose header says HS256, whose
 * `nbf`, `exp` and `iat` (each when present) hold now, whose `iss` and `aud` match
 * `expected`, and whose signature `key` verifies; else `undefined`, whatever is wrong.
 */
export async function verifyHs256(
  token: string,
  key: CryptoKey | Promise<CryptoKey>,
  expected: Hs256Expectations,
): Promise<Readonly<Record<string, unknown>> | undefined> {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const [encodedHeader = "", encodedClaims = "", encodedSignature = ""] = parts;
  let claims: Record<string, unknown>;
  try {
    if (!isHs256Header(jsonPart(encodedHeader))) return undefined;
    // Any JSON, as hono reads it: `null` fails below, where its fields are read.
    claims = jsonPart(encodedClaims) as Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    if (
      !timeClaimHolds(claims.nbf, (nbf) => nbf <= now) ||
      !timeClaimHolds(claims.exp, (exp) => exp > now) ||
      !timeClaimHolds(claims.iat, (iat) => iat <= now)
    ) {
      return undefined;
    }
  } catch {
    return undefined;
  }
  const { issuer, audiences } = expected;
  if (issuer !== undefined && (!claims.iss || claims.iss !== issuer)) return undefined;
  if (audiences !== undefined) {
    if (!claims.aud) return undefined;
    const given: unknown[] = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!given.some((audience) => audiences.includes(audience as string))) return undefined;
  }
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(encodedSignature)) return undefined;
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = base64UrlBytes(encodedSignature);
  } catch {
    return undefined;
  }
  const signed = utf8.encode(`${encodedHeader}.${encodedClaims}`);
  const valid = await crypto.subtle.verify("HMAC", await key, signature, signed);
  return valid ? claims : undefined;
}
