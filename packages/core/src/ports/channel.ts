import type { ButtonMessage } from "../button-message.js";
import type { ChannelCapabilities } from "../capabilities.js";

export interface SendContext {
  /** Correlates the send with the request that caused it, in logs on both sides. */
  readonly requestId: string;
  /** Aborted when the use case gives up on this attempt (timeout or interruption). */
  readonly signal: AbortSignal;
  /**
   * When set, `signal` aborts on its own at the latest this many ms after `send` was called
   * (the attempt's timeout). An adapter whose own timeout is no shorter can rely on `signal`
   * alone, without a timer and an `AbortController` of its own.
   */
  readonly signalTimeoutMs?: number;
}

export interface SendReceipt {
  /** The provider's own id for the message (Meta's `wamid.…`, Z-API's `messageId`, …). */
  readonly providerMessageId: string;
}

/**
 * One provider connection able to deliver a {@link ButtonMessage}.
 *
 * `send` resolves with the provider's id, or rejects with `ProviderRejected` or
 * `ProviderUnavailable` (from this package). Any other rejection is treated as an
 * unexpected failure of the adapter and is never retried.
 */
export interface ChannelPort {
  /** A short, stable name of the provider, e.g. `"whatsapp"`, `"zapi"`, `"zapper"`. */
  readonly provider: string;
  readonly capabilities: ChannelCapabilities;
  send(recipient: string, message: ButtonMessage, context: SendContext): Promise<SendReceipt>;
}
