export interface Principal {
  /** Who is calling: an API key's id or a session's user id. Never the secret itself. */
  readonly subject: string;
  readonly organizationId: string;
  readonly kind: "api_key" | "session";
}

/** Turns a bearer token into the caller it stands for, or `undefined` if it stands for none. */
export interface Authenticator {
  authenticate(token: string): Promise<Principal | undefined>;
}
