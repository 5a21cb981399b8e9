import { type Clock, systemClock, type WebhookDeduplication } from "@replykit/core";
import type { Sql } from "postgres";
import { deleteInBatches } from "./batches.js";

export interface PostgresWebhookDeduplicationOptions {
  /** How long an event id is remembered; providers redeliver for hours. Default 24 h. */
  readonly ttlMs?: number;
  readonly clock?: Clock;
}

/**
 * The provider events already handed over, shared by every instance: a webhook redelivered
 * to another instance behind the balancer is still recognised.
 */
export class PostgresWebhookDeduplication implements WebhookDeduplication {
  readonly #sql: Sql;
  readonly #ttlMs: number;
  readonly #clock: Clock;

  constructor(sql: Sql, { ttlMs = 24 * 60 * 60 * 1000, clock = systemClock } = {}) {
    if (!(ttlMs > 0)) throw new RangeError(`ttlMs must be positive, not ${ttlMs}`);
    this.#sql = sql;
    this.#ttlMs = ttlMs;
    this.#clock = clock;
  }

  async seen(connectionId: string, providerEventIds: readonly string[]) {
    if (providerEventIds.length === 0) return new Set<string>();
    const rows = await this.#sql<{ provider_event_id: string }[]>`
      SELECT provider_event_id FROM replykit_webhook_events
      WHERE connection_id = ${connectionId} AND provider_event_id = ANY(${[...providerEventIds]})
        AND expires_at > ${new Date(this.#clock.now())}`;
    return new Set(rows.map((row) => row.provider_event_id));
  }

  async remember(connectionId: string, providerEventIds: readonly string[]): Promise<void> {
    if (providerEventIds.length === 0) return;
    const expiresAt = new Date(this.#clock.now() + this.#ttlMs);
    await this.#sql`
      INSERT INTO replykit_webhook_events (connection_id, provider_event_id, expires_at)
      SELECT ${connectionId}, id, ${expiresAt} FROM unnest(${[...new Set(providerEventIds)]}::text[]) AS id
      ON CONFLICT (connection_id, provider_event_id) DO UPDATE SET expires_at = excluded.expires_at`;
  }

  /** Deletes expired ids, `batchSize` at a time through the expiry index; the number deleted. */
  async sweepExpired(batchSize = 1000): Promise<number> {
    return deleteInBatches(
      batchSize,
      () => this.#sql`
        DELETE FROM replykit_webhook_events WHERE ctid = ANY(ARRAY(
          SELECT ctid FROM replykit_webhook_events
          WHERE expires_at <= ${new Date(this.#clock.now())}
          ORDER BY expires_at LIMIT ${batchSize}))`,
    );
  }
}
