import type { Clock } from "./ports/clock.js";
import type { IdempotencyClaim, IdempotencyStore } from "./ports/idempotency-store.js";
import type { SendButtonsResult } from "./send-buttons-result.js";
import { systemClock } from "./system-clock.js";

type Entry =
  | {
      readonly status: "in_progress" | "outcome_unknown";
      readonly fingerprint: string;
      readonly expiresAt: number;
    }
  | {
      readonly status: "completed";
      readonly fingerprint: string;
      readonly result: SendButtonsResult;
      readonly expiresAt: number;
    };

export interface InMemoryIdempotencyStoreOptions {
  /** How long a completed result is replayed. Default 24 hours, as most payment APIs do. */
  readonly ttlMs?: number;
  readonly clock?: Clock;
}

/**
 * A single-process idempotency store. Good for tests and one-instance deployments; a
 * fleet of servers needs a shared store (SQL, Redis) behind the same port.
 */
export class InMemoryIdempotencyStore implements IdempotencyStore {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #clock: Clock;

  constructor({
    ttlMs = 24 * 60 * 60 * 1000,
    clock = systemClock,
  }: InMemoryIdempotencyStoreOptions = {}) {
    this.#ttlMs = ttlMs;
    this.#clock = clock;
  }

  // Synchronous inside an async function: no await between the read and the write, so two
  // claims cannot interleave within one process.
  async claim(key: string, fingerprint: string): Promise<IdempotencyClaim> {
    const now = this.#clock.now();
    this.#forgetExpired(now);
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt > now) return entry;
    this.#put(key, { status: "in_progress", fingerprint, expiresAt: now + this.#ttlMs });
    return { status: "claimed" };
  }

  async complete(key: string, result: SendButtonsResult): Promise<void> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#put(key, {
      status: "completed",
      fingerprint: entry.fingerprint,
      result,
      expiresAt: this.#clock.now() + this.#ttlMs,
    });
  }

  async markOutcomeUnknown(key: string): Promise<void> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#put(key, {
      status: "outcome_unknown",
      fingerprint: entry.fingerprint,
      expiresAt: this.#clock.now() + this.#ttlMs,
    });
  }

  // A Map keeps a key where it was first inserted; deleting first moves it to the end, so
  // the map stays in expiry order and the sweep below can stop at the first live entry.
  #put(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  async release(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  #forgetExpired(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) return;
      this.#entries.delete(key);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
