/**
 * The one marker that stands where a secret was, in errors and logs alike, so that an
 * operator searching for redactions finds every one of them.
 */
export const REDACTED = "[REDACTED]";

/** Blanks known secrets out of a text. Made by {@link redactor}. */
export type Redact = (text: string) => string;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `encodeURIComponent`, or `undefined` for a string it cannot encode (a lone surrogate). */
function urlEncoded(text: string): string | undefined {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Makes a {@link Redact} that replaces every occurrence of each secret with
 * {@link REDACTED}, both as given and URL-encoded (as it stands in an echoed URL). Empty
 * secrets are ignored. One pass, longest form first: a secret that contains another is
 * blanked whole, and the marker is never searched again.
 */
export function redactor(secrets: readonly string[]): Redact {
  const forms = [...new Set(secrets.flatMap((secret) => [secret, urlEncoded(secret) ?? secret]))]
    .filter((form) => form !== "")
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0) return (text) => text;
  const pattern = new RegExp(forms.map(escapeRegExp).join("|"), "g");
  return (text) => text.replace(pattern, REDACTED);
}
