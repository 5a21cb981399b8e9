import type { Clock } from "./ports/clock.js";
import type {
  IdempotencyClaim,
  IdempotencyKey,
  IdempotencyStore,
} from "./ports/idempotency-store.js";
import type { SendButtonsResult } from "./send-buttons-result.js";
import { systemClock } from "./system-clock.js";

interface Pending {
  readonly fingerprint: string;
  readonly expiresAt: number;
}

interface Completed extends Pending {
  readonly result: SendButtonsResult;
}

export interface InMemoryIdempotencyStoreOptions {
  /** How long a key is remembered. Default 24 hours, as most payment APIs do. */
  readonly ttlMs?: number;
  /**
   * The most keys kept (default 50 000; about 1.5 KB each with a full message, so some
   * 75 MB at most). Past it the oldest completed key is forgotten first, then the oldest
   * key of unknown outcome; a key whose request is still running is never forgotten (their
   * number is bounded by how many sends run at once). A forgotten key no longer replays
   * its result: a repeat with it sends again, so size the bound to the keys a client may
   * repeat within the TTL, or use a shared store.
   */
  readonly maxEntries?: number;
  readonly clock?: Clock;
}

export const DEFAULT_IDEMPOTENCY_MAX_ENTRIES = 50_000;

/**
 * A single-process idempotency store, bounded in size. Good for tests and one-instance
 * deployments; a fleet of servers needs a shared store (SQL) behind the same port.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  // One map per state, each in expiry order (a Map iterates in insertion order and every
  // write re-inserts with a fresh expiry), so expiry and eviction only ever look at the
  // front of a map.
  readonly #inProgress = new Map<string, Pending>();
  readonly #unknown = new Map<string, Pending>();
  readonly #completed = new Map<string, Completed>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: Clock;

  constructor({
    ttlMs = 24 * 60 * 60 * 1000,
    maxEntries = DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
    clock = systemClock,
  }: InMemoryIdempotencyStoreOptions = {}) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer, not ${maxEntries}`);
    }
    if (!(ttlMs > 0)) throw new RangeError(`ttlMs must be positive, not ${ttlMs}`);
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#clock = clock;
  }

  // Synchronous inside an async function: no await between the read and the write, so two
  // claims cannot interleave within one process.
  async claim(key: IdempotencyKey, fingerprint: string): Promise<IdempotencyClaim> {
    const now = this.#clock.now();
    this.#forgetExpired(now);
    const id = storageKeyOf(key);
    const running = this.#inProgress.get(id);
    if (running !== undefined) return { status: "in_progress", fingerprint: running.fingerprint };
    const unknown = this.#unknown.get(id);
    if (unknown !== undefined)
      return { status: "outcome_unknown", fingerprint: unknown.fingerprint };
    const completed = this.#completed.get(id);
    if (completed !== undefined) {
      return { status: "completed", fingerprint: completed.fingerprint, result: completed.result };
    }
    this.#inProgress.set(id, { fingerprint, expiresAt: now + this.#ttlMs });
    this.#evictOverBound();
    return { status: "claimed" };
  }

  async complete(key: IdempotencyKey, result: SendButtonsResult): Promise<void> {
    const id = storageKeyOf(key);
    const running = this.#inProgress.get(id);
    if (running === undefined) return;
    this.#inProgress.delete(id);
    const expiresAt = this.#clock.now() + this.#ttlMs;
    this.#completed.set(id, { fingerprint: running.fingerprint, result, expiresAt });
  }

  async markOutcomeUnknown(key: IdempotencyKey): Promise<void> {
    const id = storageKeyOf(key);
    const running = this.#inProgress.get(id);
    if (running === undefined) return;
    this.#inProgress.delete(id);
    const expiresAt = this.#clock.now() + this.#ttlMs;
    this.#unknown.set(id, { fingerprint: running.fingerprint, expiresAt });
  }

  async release(key: IdempotencyKey): Promise<void> {
    this.#inProgress.delete(storageKeyOf(key));
  }

  /** How many keys are remembered, in every state. */
  get size(): number {
    return this.#inProgress.size + this.#unknown.size + this.#completed.size;
  }

  #evictOverBound(): void {
    for (const evictable of [this.#completed, this.#unknown]) {
      for (const id of evictable.keys()) {
        if (this.size <= this.#maxEntries) return;
        evictable.delete(id);
      }
    }
  }

  #forgetExpired(now: number): void {
    for (const entries of [this.#inProgress, this.#unknown, this.#completed]) {
      for (const [id, entry] of entries) {
        if (entry.expiresAt > now) break;
        entries.delete(id);
      }
    }
  }
}

/** Length-prefixed, so that the boundary between the two parts is never ambiguous. */
const storageKeyOf = ({ organizationId, key }: IdempotencyKey): string =>
  `${organizationId.length}:${organizationId}${key}`;
