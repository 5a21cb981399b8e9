import type { Authenticator, Principal } from "@replykit/core";
import { constantTimeEqual } from "./constant-time.js";

/** One API key, known only by the SHA-256 of its text. */
export interface ApiKeyRecord {
  /** The key's public id: the principal's `subject`, safe to log. */
  readonly id: string;
  readonly organizationId: string;
  /** Hex SHA-256 digest of the key (see {@link hashApiKey}); the key itself is never stored. */
  readonly sha256: string;
}

export interface ApiKeyAuthenticatorOptions {
  /**
   * Compares the presented token's digest with the stored digest its lookup found. Default
   * {@link constantTimeEqual}; replace it only to observe the comparison in a test.
   */
  readonly compare?: (a: Uint8Array, b: Uint8Array) => boolean;
  /**
   * The SHA-256 of a presented token. Default Web Crypto's (every runtime, asynchronous);
   * the Node server passes `node:crypto`'s, synchronous and several times cheaper.
   */
  readonly sha256?: (text: string) => Uint8Array | Promise<Uint8Array>;
}

const encoder = new TextEncoder();
const SHA256_HEX = /^[0-9a-f]{64}$/i;

async function webCryptoSha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

function fromHex(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let index = 0; index < bytes.length; index += 1) {
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}

/**
 * A digest as a map key: one character per byte, cheaper to make than hex. Applied rather
 * than spread: spreading a typed array walks its iterator, five times slower (~1 µs).
 */
const lookupKeyOf = (digest: Uint8Array): string =>
  Reflect.apply(String.fromCharCode, undefined, digest);

/** The hex SHA-256 of an API key: what {@link createApiKeyAuthenticator} stores. */
export async function hashApiKey(key: string): Promise<string> {
  return toHex(await webCryptoSha256(key));
}

/**
 * Authenticates API keys against stored SHA-256 digests. The presented token is hashed
 * once and its digest looked up (one map read, whatever the number of keys), then compared
 * with the stored digest in constant time. Looking up by digest reveals through timing at
 * most something about a SHA-256 of the guess, never about a stored key's text. Principal:
 * `{ kind: "api_key", subject: <key id>, organizationId }`. Runs on every runtime (Web
 * Crypto by default, see `sha256`).
 */
export function createApiKeyAuthenticator(
  keys: readonly ApiKeyRecord[],
  options: ApiKeyAuthenticatorOptions = {},
): Authenticator {
  const compare = options.compare ?? constantTimeEqual;
  const sha256 = options.sha256 ?? webCryptoSha256;
  const stored = new Map<string, { readonly digest: Uint8Array; readonly principal: Principal }>();
  for (const key of keys) {
    if (!SHA256_HEX.test(key.sha256)) {
      throw new Error(`API key ${key.id}: sha256 must be 64 hex characters (see hashApiKey)`);
    }
    const digest = fromHex(key.sha256.toLowerCase());
    const lookupKey = lookupKeyOf(digest);
    if (stored.has(lookupKey))
      throw new Error(`API key ${key.id}: the same key is configured twice`);
    stored.set(lookupKey, {
      digest,
      principal: { kind: "api_key", subject: key.id, organizationId: key.organizationId },
    });
  }

  return {
    async authenticate(token: string): Promise<Principal | undefined> {
      const presented = await sha256(token);
      const found = stored.get(lookupKeyOf(presented));
      return found !== undefined && compare(presented, found.digest) ? found.principal : undefined;
    },
  };
}
