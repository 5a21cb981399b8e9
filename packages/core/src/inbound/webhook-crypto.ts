// WebCrypto only, so that verification runs unchanged on Workers, Deno, Bun and Node.

const encoder = new TextEncoder();

/** HMAC-SHA256 of `bytes` under `secret` (not empty: WebCrypto refuses it), as lower-case hex. */
export async function hmacSha256Hex(
  secret: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  if (secret === "") throw new RangeError("an HMAC secret must not be empty");
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, bytes));
  let hex = "";
  for (const byte of signature) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * Whether two strings are equal, in time that depends on their lengths only, never on
 * where they first differ. For secrets and signatures compared with what a caller sent.
 */
export function timingSafeEqual(expected: string, given: string): boolean {
  const a = encoder.encode(expected);
  const b = encoder.encode(given);
  let difference = a.length ^ b.length;
  for (let index = 0; index < a.length; index += 1) {
    difference |= (a[index] ?? 0) ^ (b[index % Math.max(b.length, 1)] ?? 0);
  }
  return difference === 0;
}
