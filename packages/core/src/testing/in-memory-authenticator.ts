import type { Authenticator, Principal } from "../ports/authenticator.js";

/** Accepts exactly the tokens it was given. For tests: it keeps tokens in clear. */
export class InMemoryAuthenticator implements Authenticator {
  readonly #principals: ReadonlyMap<string, Principal>;

  constructor(principalsByToken: Readonly<Record<string, Principal>>) {
    this.#principals = new Map(Object.entries(principalsByToken));
  }

  async authenticate(token: string): Promise<Principal | undefined> {
    return this.#principals.get(token);
  }
}
