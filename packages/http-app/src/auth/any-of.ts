import type { Authenticator, Principal } from "@replykit/core";

/**
 * Tries each authenticator in order; the first that recognises the token wins. E.g.
 * `anyOf(createJwtSessionAuthenticator(…), createApiKeyAuthenticator(…))` accepts both
 * sessions and API keys on the same `Authorization: Bearer` header.
 */
export function anyOf(...authenticators: readonly Authenticator[]): Authenticator {
  return {
    async authenticate(token: string): Promise<Principal | undefined> {
      for (const authenticator of authenticators) {
        const principal = await authenticator.authenticate(token);
        if (principal !== undefined) return principal;
      }
      return undefined;
    },
  };
}
