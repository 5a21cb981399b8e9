import type { Clock } from "./ports/clock.js";
import type { IdempotencyClaim, IdempotencyStore } from "./ports/idempotency-store.js";
import type { SendButtonsResult } from "./send-buttons-result.js";
import { systemClock } from "./system-clock.js";

type Entry =
  | { readonly status: "in_progress"; readonly fingerprint: string; readonly expiresAt: number }
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
    this.#entries.set(key, { status: "in_progress", fingerprint, expiresAt: now + this.#ttlMs });
    return { status: "claimed" };
  }

  async complete(key: string, result: SendButtonsResult): Promise<void> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.set(key, {
      status: "completed",
      fingerprint: entry.fingerprint,
      result,
      expiresAt: this.#clock.now() + this.#ttlMs,
    });
  }

  async release(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  // Entries sit in the map roughly in expiry order (a fixed TTL from insertion), so the
  // expired ones are at the front and the sweep stops at the first live one.
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
