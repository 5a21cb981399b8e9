import {
  type Clock,
  type IdempotencyClaim,
  type IdempotencyKey,
  type IdempotencyStore,
  type SendButtonsResult,
  systemClock,
} from "@replykit/core";
import type { Sql } from "postgres";
import { deleteInBatches } from "./batches.js";

export interface PostgresIdempotencyStoreOptions {
  /** How long a key is remembered, from its claim. Default 24 hours. */
  readonly ttlMs?: number;
  /**
   * How long a claim stays `in_progress` without a heartbeat from the instance holding it.
   * The instance renews its live claims every third of it; once it lapses (the process died
   * or lost the database mid-send), the key is reported `outcome_unknown`, never sent again.
   * Default 30 s; keep it well above a database round trip and a garbage-collection pause.
   */
  readonly leaseMs?: number;
  readonly clock?: Clock;
  /** Names this instance's claims; default a random UUID. */
  readonly owner?: string;
}

/** PostgreSQL's type OID of `json`. */
const JSON_OID = 114;

interface KeyRow {
  readonly fingerprint: string;
  readonly state: "in_progress" | "outcome_unknown" | "completed";
  readonly result: SendButtonsResult | null;
  readonly lease_expires_at: Date | null;
}

/**
 * Idempotency keys in PostgreSQL, the way payment APIs keep them: a key is claimed by one
 * atomic `INSERT … ON CONFLICT` before the send, its outcome written when the send ends,
 * and a claim whose holder stopped renewing its lease is turned into `outcome_unknown`.
 * Keys are scoped by an `organization_id` column, never by a string prefix.
 */
export class PostgresIdempotencyStore implements IdempotencyStore {
  readonly #sql: Sql;
  readonly #ttlMs: number;
  readonly #leaseMs: number;
  readonly #clock: Clock;
  readonly #owner: string;
  readonly #held = new Set<string>();
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(sql: Sql, options: PostgresIdempotencyStoreOptions = {}) {
    const {
      ttlMs = 24 * 60 * 60 * 1000,
      leaseMs = 30_000,
      clock = systemClock,
      owner = crypto.randomUUID(),
    } = options;
    if (!(ttlMs > 0)) throw new RangeError(`ttlMs must be positive, not ${ttlMs}`);
    if (!(leaseMs >= 100)) throw new RangeError(`leaseMs must be at least 100, not ${leaseMs}`);
    this.#sql = sql;
    this.#ttlMs = ttlMs;
    this.#leaseMs = leaseMs;
    this.#clock = clock;
    this.#owner = owner;
  }

  async claim(key: IdempotencyKey, fingerprint: string): Promise<IdempotencyClaim> {
    // Loops only when the row it saw vanished (released or swept) between two statements.
    for (;;) {
      const now = this.#clock.now();
      const claimed = await this.#sql`
        INSERT INTO replykit_idempotency_keys AS existing
          (organization_id, key, fingerprint, state, owner, lease_expires_at, expires_at, claimed_at)
        VALUES (${key.organizationId}, ${key.key}, ${fingerprint}, 'in_progress', ${this.#owner},
          ${new Date(now + this.#leaseMs)}, ${new Date(now + this.#ttlMs)}, ${new Date(now)})
        ON CONFLICT (organization_id, key) DO UPDATE SET
          fingerprint = excluded.fingerprint, state = 'in_progress', result = NULL,
          owner = excluded.owner, lease_expires_at = excluded.lease_expires_at,
          expires_at = excluded.expires_at, claimed_at = excluded.claimed_at
        WHERE existing.expires_at <= ${new Date(now)}
        RETURNING 1`;
      if (claimed.length > 0) {
        this.#hold(key);
        return { status: "claimed" };
      }
      const [row] = await this.#sql<KeyRow[]>`
        SELECT fingerprint, state, result, lease_expires_at FROM replykit_idempotency_keys
        WHERE organization_id = ${key.organizationId} AND key = ${key.key}`;
      if (row === undefined) continue;
      if (row.state === "completed" && row.result !== null) {
        return { status: "completed", fingerprint: row.fingerprint, result: row.result };
      }
      if (row.state === "in_progress" && (row.lease_expires_at?.getTime() ?? 0) > now) {
        return { status: "in_progress", fingerprint: row.fingerprint };
      }
      if (row.state === "in_progress") await this.#abandon(key, now);
      return { status: "outcome_unknown", fingerprint: row.fingerprint };
    }
  }

  // Each settling call lets go of the key's heartbeat whether or not its write succeeded:
  // a key whose outcome could not be written lapses into outcome_unknown, the truth then.
  async complete(key: IdempotencyKey, result: SendButtonsResult): Promise<void> {
    // Also over a claim already turned outcome_unknown for a lapsed lease: the outcome is
    // now known, and the truth is better than the doubt.
    try {
      await this.#sql`
      UPDATE replykit_idempotency_keys
      SET state = 'completed', result = ${this.#sql.typed(toJson(result), JSON_OID)}, owner = NULL,
        lease_expires_at = NULL, expires_at = ${new Date(this.#clock.now() + this.#ttlMs)}
      WHERE organization_id = ${key.organizationId} AND key = ${key.key}
        AND owner = ${this.#owner} AND state IN ('in_progress', 'outcome_unknown')`;
    } finally {
      this.#letGo(key);
    }
  }

  async markOutcomeUnknown(key: IdempotencyKey): Promise<void> {
    try {
      await this.#sql`
      UPDATE replykit_idempotency_keys
      SET state = 'outcome_unknown', lease_expires_at = NULL, owner = NULL,
        expires_at = ${new Date(this.#clock.now() + this.#ttlMs)}
      WHERE organization_id = ${key.organizationId} AND key = ${key.key}
        AND owner = ${this.#owner} AND state = 'in_progress'`;
    } finally {
      this.#letGo(key);
    }
  }

  async release(key: IdempotencyKey): Promise<void> {
    try {
      await this.#sql`
      DELETE FROM replykit_idempotency_keys
      WHERE organization_id = ${key.organizationId} AND key = ${key.key}
        AND owner = ${this.#owner} AND state = 'in_progress'`;
    } finally {
      this.#letGo(key);
    }
  }

  /**
   * Deletes keys past their expiry, `batchSize` at a time through the expiry index; the
   * number deleted. Claims of expired keys take them over anyway: this only reclaims space.
   */
  async sweepExpired(batchSize = 1000): Promise<number> {
    return deleteInBatches(
      batchSize,
      () => this.#sql`
        DELETE FROM replykit_idempotency_keys WHERE ctid = ANY(ARRAY(
          SELECT ctid FROM replykit_idempotency_keys
          WHERE expires_at <= ${new Date(this.#clock.now())}
          ORDER BY expires_at LIMIT ${batchSize}))`,
    );
  }

  /** Renews this instance's live leases now (it also happens every third of `leaseMs`). */
  async renewLeases(): Promise<void> {
    await this.#sql`
      UPDATE replykit_idempotency_keys
      SET lease_expires_at = ${new Date(this.#clock.now() + this.#leaseMs)}
      WHERE owner = ${this.#owner} AND state = 'in_progress'`;
  }

  /** Stops the heartbeat; claims still held lapse after `leaseMs`, as if the process died. */
  close(): void {
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    this.#held.clear();
  }

  // The owner stays on the row: if the holder was only slow, its `complete` still lands.
  async #abandon(key: IdempotencyKey, now: number): Promise<void> {
    await this.#sql`
      UPDATE replykit_idempotency_keys
      SET state = 'outcome_unknown', lease_expires_at = NULL
      WHERE organization_id = ${key.organizationId} AND key = ${key.key}
        AND state = 'in_progress' AND lease_expires_at <= ${new Date(now)}`;
  }

  #hold(key: IdempotencyKey): void {
    this.#held.add(heldKeyOf(key));
    if (this.#heartbeat !== undefined) return;
    this.#heartbeat = setInterval(() => {
      // A failed renewal is retried at the next beat; if the database stays away, the lease
      // lapses and the key reads as outcome_unknown, which is the truth in that case.
      this.renewLeases().catch(() => {});
    }, this.#leaseMs / 3);
    // The heartbeat must not keep a process alive that has nothing else to do.
    (this.#heartbeat as { unref?: () => void }).unref?.();
  }

  #letGo(key: IdempotencyKey): void {
    this.#held.delete(heldKeyOf(key));
    if (this.#held.size === 0 && this.#heartbeat !== undefined) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
  }
}

/**
 * The result as JSON, its fields in the order the first answer had them: the column is
 * `json`, not `jsonb`, so that a replay is the same bytes, not the same keys re-sorted (the
 * parameter is typed `json` by its OID; the driver's `json()` helper would send `jsonb`).
 */
const toJson = (result: SendButtonsResult) => ({
  messageId: result.messageId,
  providerMessageId: result.providerMessageId,
  provider: result.provider,
  conversationId: result.conversationId,
  status: result.status,
});

const heldKeyOf = ({ organizationId, key }: IdempotencyKey) =>
  `${organizationId.length}:${organizationId}${key}`;
