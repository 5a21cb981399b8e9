import type { Clock } from "./ports/clock.js";
import type { WebhookDeduplication } from "./ports/webhook-deduplication.js";
import { systemClock } from "./system-clock.js";

export interface InMemoryWebhookDeduplicationOptions {
  /** How long an event id is remembered; providers redeliver for hours. Default 24 h. */
  readonly ttlMs?: number;
  /** The most ids kept; past it the oldest is forgotten. Default 100 000. */
  readonly maxEntries?: number;
  readonly clock?: Clock;
}

/** A single-process, bounded record of the provider events already handed over. */
export class InMemoryWebhookDeduplication implements WebhookDeduplication {
  // In insertion order, which is expiry order: every id lives the same TTL.
  readonly #expiresAt = new Map<string, number>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: Clock;

  constructor({
    ttlMs = 24 * 60 * 60 * 1000,
    maxEntries = 100_000,
    clock = systemClock,
  }: InMemoryWebhookDeduplicationOptions = {}) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#clock = clock;
  }

  async seen(connectionId: string, providerEventIds: readonly string[]) {
    const now = this.#clock.now();
    return new Set(
      providerEventIds.filter((id) => (this.#expiresAt.get(keyOf(connectionId, id)) ?? 0) > now),
    );
  }

  async remember(connectionId: string, providerEventIds: readonly string[]): Promise<void> {
    const now = this.#clock.now();
    for (const [key, expiresAt] of this.#expiresAt) {
      if (expiresAt > now && this.#expiresAt.size < this.#maxEntries) break;
      this.#expiresAt.delete(key);
    }
    for (const id of providerEventIds) {
      const key = keyOf(connectionId, id);
      this.#expiresAt.delete(key);
      this.#expiresAt.set(key, now + this.#ttlMs);
    }
  }

  get size(): number {
    return this.#expiresAt.size;
  }
}

const keyOf = (connectionId: string, id: string) => `${connectionId.length}:${connectionId}${id}`;
