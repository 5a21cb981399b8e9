// A provider's error text is worth keeping in our errors: it often says exactly what is wrong.
// But it is not ours. It may echo a credential back (Z-API quotes a wrong Client-Token; a 404
// may quote a URL path with the instance or its token in it), hold line breaks that forge log
// lines, or run to kilobytes of HTML. These helpers are the one way adapters quote it.

// The redactor is the core's, shared with every other place that blanks a secret out.
export { type Redact, redactor } from "@replykit/core";

import type { Redact } from "@replykit/core";

/** The text on one line: each run of whitespace or control characters becomes one space. */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\s]+/gu, " ").trim();
}

export interface ProviderTextOptions {
  /** Blanks the channel's credentials; see {@link redactor}. */
  readonly redact: Redact;
  /**
   * The longest result, in code points, the `…` that marks a cut included. At least 1.
   * The text ends up in logs and API answers, so it is kept, but bounded.
   */
  readonly maxLength: number;
}

/**
 * Provider-supplied text made safe to put in an error message: credentials redacted (before
 * anything else, so no later step can split one out of reach), on one line, and at most
 * `maxLength` code points, cut on a code point boundary so no emoji is split.
 */
export function quoteProviderText(text: string, options: ProviderTextOptions): string {
  const line = oneLine(options.redact(text));
  const codePoints = Array.from(line);
  if (codePoints.length <= options.maxLength) return line;
  return `${codePoints.slice(0, Math.max(0, options.maxLength - 1)).join("")}…`;
}
