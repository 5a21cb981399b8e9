import type { ButtonMessage } from "../button-message.js";
import type { ChannelCapabilities } from "../capabilities.js";

/** Called once when a {@link Cancellation} aborts. */
export type CancellationListener = (() => void) | { handleEvent(): void };

/**
 * The part of an `AbortSignal` that hears of an abort: whether it happened, why, and the
 * `"abort"` listeners. Every `AbortSignal` is one. A listener added once it aborted is never
 * called, and one added twice is called once, as with `AbortSignal`.
 */
export interface Cancellation {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: CancellationListener): void;
  removeEventListener(type: "abort", listener: CancellationListener): void;
}

export interface SendContext {
  /** Correlates the send with the request that caused it, in logs on both sides. */
  readonly requestId: string;
  /**
   * Aborted when the use case gives up on this attempt (timeout or interruption). For a
   * channel that sets {@link ChannelPort.signalOnDemand} it is made when first read.
   */
  readonly signal: AbortSignal;
  /**
   * The same abort as `signal`, heard without an `AbortSignal`. Set by the use case; a
   * context made elsewhere (a test, a caller of `send`) may leave it out, and then `signal`
   * is the one to listen to.
   */
  readonly cancellation?: Cancellation;
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
  /**
   * `true` when `send` listens for the abort on `context.cancellation` whenever it is set,
   * and reads `context.signal` only when it needs an `AbortSignal`, from the context it was
   * given (a copy made by spreading it would lack `signal`, an accessor). The use case then
   * makes the signal only on that read: on Node 20, making an `AbortSignal` has V8 promote
   * what the request allocated around it to the old generation (~0.4 KB a send, measured),
   * which brings on full collections and the latency they cost.
   */
  readonly signalOnDemand?: true;
  send(recipient: string, message: ButtonMessage, context: SendContext): Promise<SendReceipt>;
}
