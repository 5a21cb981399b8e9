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
   * Compares two digests. Default {@link constantTimeEqual}; replace it only to observe the
   * comparisons in a test. It is called once per stored key on every authentication.
   */
  readonly compare?: (a: Uint8Array, b: Uint8Array) => boolean;
}

const encoder = new TextEncoder();
const SHA256_HEX = /^[0-9a-f]{64}$/i;

async function sha256(text: string): Promise<Uint8Array> {
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

/** The hex SHA-256 of an API key: what {@link createApiKeyAuthenticator} stores. */
export async function hashApiKey(key: string): Promise<string> {
  return toHex(await sha256(key));
}

/**
 * Authenticates API keys against stored SHA-256 digests (Web Crypto only, so it runs on
 * the edge). The presented token is hashed, then compared with *every* stored digest in
 * constant time, with no early exit: the time taken says nothing about which key, if any,
 * came close. Principal: `{ kind: "api_key", subject: <key id>, organizationId }`.
 */
export function createApiKeyAuthenticator(
  keys: readonly ApiKeyRecord[],
  options: ApiKeyAuthenticatorOptions = {},
): Authenticator {
  const compare = options.compare ?? constantTimeEqual;
  const seen = new Set<string>();
  const stored = keys.map((key) => {
    if (!SHA256_HEX.test(key.sha256)) {
      throw new Error(`API key ${key.id}: sha256 must be 64 hex characters (see hashApiKey)`);
    }
    const digest = key.sha256.toLowerCase();
    if (seen.has(digest)) throw new Error(`API key ${key.id}: the same key is configured twice`);
    seen.add(digest);
    const principal: Principal = {
      kind: "api_key",
      subject: key.id,
      organizationId: key.organizationId,
    };
    return { digest: fromHex(digest), principal };
  });

  return {
    async authenticate(token: string): Promise<Principal | undefined> {
      const presented = await sha256(token);
      let found: Principal | undefined;
      for (const key of stored) {
        const equal = compare(presented, key.digest);
        // Keep looking after a match: every stored digest is compared on every request.
        found = equal ? key.principal : found;
      }
      return found;
    },
  };
}
