import type { ProviderError, SendButtonsError } from "./errors.js";

export interface SendButtonsResult {
  /** replykit's own id for the message. */
  readonly messageId: string;
  readonly providerMessageId: string;
  readonly provider: string;
  readonly conversationId: string;
  /** The provider accepted the message; delivery and reads are reported later by webhooks. */
  readonly status: "sent";
}

/** What a send came to, for code that does not use Effect: switch on `ok`, then `error._tag`. */
export type SendButtonsOutcome =
  | { readonly ok: true; readonly value: SendButtonsResult }
  | { readonly ok: false; readonly error: SendButtonsError };

/** What a send that reached the channel came to: sent, or the provider's failure. */
export type SentOrFailed =
  | { readonly ok: true; readonly value: SendButtonsResult }
  | { readonly ok: false; readonly error: ProviderError };
