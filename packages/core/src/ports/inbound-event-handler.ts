import type { InboundEvent } from "../inbound/events.js";

/**
 * What the embedder does with the events of one verified webhook (forward them, store them,
 * reply to the customer). A rejection makes the webhook fail, so that the provider's
 * redelivery brings the same events again: none of them is recorded as handed over.
 */
export interface InboundEventHandler {
  handle(events: readonly InboundEvent[]): Promise<void>;
}
