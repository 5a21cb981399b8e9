// Standard Webhooks signing (https://www.standardwebhooks.com/, "Signature scheme"):
//   webhook-signature: v1,<base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>"))>
// WebCrypto, TextEncoder, btoa and atob only, so that it runs unchanged on Workers, Deno,
// Bun and Node: no `node:` import, no Buffer.

const encoder = new TextEncoder();

/** The prefix of a secret given the way the specification writes them: `whsec_<base64 key>`. */
export const SECRET_PREFIX = "whsec_";

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The key bytes of a signing secret.
 *
 * - `whsec_<base64>`: the specification's form; the base64 part is decoded and its bytes are
 *   the key (what the reference libraries do with the same string).
 * - anything else: a raw secret, its UTF-8 bytes used as the key. A receiver using one of the
 *   Standard Webhooks reference libraries must then say so (`{ format: "raw" }`), since
 *   those libraries base64-decode a secret that has no prefix.
 *
 * Throws a `RangeError` (which never quotes the secret) for an empty secret or a `whsec_`
 * secret whose rest is not base64.
 */
export function webhookSigningKey(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith(SECRET_PREFIX)) {
    if (secret === "") throw new RangeError("a webhook signing secret must not be empty");
    return encoder.encode(secret);
  }
  const encoded = secret.slice(SECRET_PREFIX.length);
  const refused = new RangeError(
    `a webhook signing secret that starts with "${SECRET_PREFIX}" must continue in base64`,
  );
  if (!BASE64.test(encoded)) throw refused;
  try {
    return fromBase64(encoded);
  } catch {
    // atob's own error (a misplaced "=", a length no base64 has) would say less.
    throw refused;
  }
}

/** Imports key bytes for HMAC-SHA256 signing (WebCrypto refuses an empty key). */
export async function importSigningKey(bytes: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  if (bytes.length === 0) throw new RangeError("a webhook signing key must not be empty");
  return crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

export interface SignedContent {
  /** `webhook-id`: unique per event, the same on every attempt to deliver it. */
  readonly id: string;
  /** `webhook-timestamp`: seconds since the epoch, of this attempt. */
  readonly timestamp: number;
  /** The request body exactly as sent. */
  readonly body: string;
}

/**
 * The `webhook-signature` header value: one `v1,<base64>` per key, separated by spaces (more
 * than one key while a secret is being rotated, as the specification allows).
 */
export async function signWebhook(
  keys: readonly CryptoKey[],
  content: SignedContent,
): Promise<string> {
  const signed = encoder.encode(`${content.id}.${content.timestamp}.${content.body}`);
  const signatures = await Promise.all(
    keys.map(async (key) => {
      const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, signed));
      return `v1,${toBase64(mac)}`;
    }),
  );
  return signatures.join(" ");
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64(encoded: string): Uint8Array<ArrayBuffer> {
  const binary = atob(encoded);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
