import * as z from "zod/mini";
import { type CredentialForm, credentialOption } from "./adapter-options.js";

/** The shortest webhook secret accepted: 16 characters, about 95 bits from the allowed set. */
export const MIN_WEBHOOK_SECRET_LENGTH = 16;

/**
 * What a webhook secret may hold: the characters a URL path segment carries unencoded
 * (RFC 3986 "unreserved"), which are also valid in a Bearer token. The secret is pasted into
 * the provider's panel as part of the webhook URL and compared with the segment the server
 * reads, so any character that would need percent-encoding could be compared in one form
 * and sent in the other.
 */
export const URL_SAFE_SECRET: CredentialForm = Object.freeze({
  pattern: /^[A-Za-z0-9._~-]+$/,
  rule: "must hold only letters, digits, '-', '.', '_' and '~' (it is part of the webhook URL)",
});

/**
 * The optional `webhookSecret` of a provider that signs nothing: the secret segment of the
 * webhook URL (or a Bearer token). Without it, every webhook for the connection is refused.
 * Its messages name the rule, never the value.
 */
export function webhookSecretOption(what: string): z.ZodMiniOptional<z.ZodMiniString<string>> {
  const secret = credentialOption("webhookSecret", {
    what,
    ifEmpty: "must not be empty: leave it out to receive no webhooks",
    form: URL_SAFE_SECRET,
  }).check(
    z.minLength(
      MIN_WEBHOOK_SECRET_LENGTH,
      `webhookSecret must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters long (a long random string)`,
    ),
  );
  return z.optional(secret);
}
