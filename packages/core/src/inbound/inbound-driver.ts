import type { ParsedInbound } from "./events.js";

/** A webhook request as a driver sees it: the raw bytes, before anything parsed them. */
export interface WebhookRequest {
  readonly method: string;
  /** Header lookup by case-insensitive name. */
  header(name: string): string | undefined;
  readonly query: URLSearchParams;
  /** The body exactly as received: signatures are over these bytes, never a re-serialisation. */
  readonly rawBody: Uint8Array<ArrayBuffer>;
  /** The secret segment of the webhook URL, for providers that sign nothing. */
  readonly pathSecret?: string | undefined;
}

/**
 * The inbound side of a driver: how its provider's webhooks are authenticated and read.
 * Pure and edge-safe (WebCrypto, no Node API). `Options` are the driver's own options.
 */
export interface InboundDriver<Options> {
  /**
   * Whether the request comes from the provider, checked in constant time over the raw
   * bytes. `false` for a connection with no inbound secret configured: an unauthenticated
   * webhook is never accepted.
   */
  verify(request: WebhookRequest, options: Options): Promise<boolean>;
  /**
   * The provider's subscription handshake (Meta's `GET ?hub.mode=subscribe…`): the text to
   * answer with when the request is a valid handshake, `undefined` otherwise.
   */
  handshake?(request: WebhookRequest, options: Options): string | undefined;
  /**
   * Every event of a verified body, in order. Never throws, whatever the body holds.
   * `receivedAt` stands in for a time the provider does not send (Baileys' status updates
   * carry none); the same body and `receivedAt` always give equal events.
   */
  parse(body: unknown, receivedAt?: Date): readonly ParsedInbound[];
}
