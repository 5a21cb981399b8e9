/**
 * Which provider events were already handed over, per connection: providers redeliver a
 * webhook that did not get a timely 200, and the same tap must reach the handler once.
 */
export interface WebhookDeduplication {
  /** The ids among `providerEventIds` already handed over. */
  seen(connectionId: string, providerEventIds: readonly string[]): Promise<ReadonlySet<string>>;
  /** Records ids as handed over; called only once the handler has succeeded. */
  remember(connectionId: string, providerEventIds: readonly string[]): Promise<void>;
}
