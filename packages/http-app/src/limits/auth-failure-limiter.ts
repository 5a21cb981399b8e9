import type { Clock } from "@replykit/core";

export interface AuthFailureLimit {
  /** Failed authentications one client may make within a window. Default 10. */
  readonly maxFailures?: number | undefined;
  /** The window, counted from a client's first failure in it. Default 60 000 ms. */
  readonly windowMs?: number | undefined;
  /** Clients tracked at once; past it the oldest window is forgotten. Default 10 000. */
  readonly maxClients?: number | undefined;
}

export const DEFAULT_AUTH_FAILURE_LIMIT = Object.freeze({
  maxFailures: 10,
  windowMs: 60_000,
  maxClients: 10_000,
});

interface Window {
  readonly endsAt: number;
  failures: number;
}

/**
 * Counts failed authentications per client in fixed windows, so that a client guessing
 * tokens is refused (429) before its guesses cost a hash each. Memory is bounded by
 * `maxClients`; windows are kept in the order they started, so expiry and eviction only
 * look at the oldest.
 */
export class AuthFailureLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #limit: typeof DEFAULT_AUTH_FAILURE_LIMIT;
  readonly #clock: Clock;

  constructor(limit: AuthFailureLimit, clock: Clock) {
    this.#limit = {
      ...DEFAULT_AUTH_FAILURE_LIMIT,
      ...definedOnly(limit),
    } as typeof DEFAULT_AUTH_FAILURE_LIMIT;
    for (const [name, value] of Object.entries(this.#limit)) {
      if (!Number.isSafeInteger(value) || value < 1) {
        throw new RangeError(`authFailureLimit.${name} must be a positive integer, not ${value}`);
      }
    }
    this.#clock = clock;
  }

  /** Milliseconds until `client` may try again, or `undefined` when it may try now. */
  blockedFor(client: string): number | undefined {
    const now = this.#clock.now();
    const window = this.#windows.get(client);
    if (window === undefined || window.endsAt <= now) return undefined;
    return window.failures >= this.#limit.maxFailures ? window.endsAt - now : undefined;
  }

  recordFailure(client: string): void {
    const now = this.#clock.now();
    this.#forgetEnded(now);
    const window = this.#windows.get(client);
    if (window !== undefined && window.endsAt > now) {
      window.failures += 1;
      return;
    }
    this.#windows.delete(client);
    this.#windows.set(client, { endsAt: now + this.#limit.windowMs, failures: 1 });
    if (this.#windows.size > this.#limit.maxClients) {
      const oldest = this.#windows.keys().next();
      if (oldest.done !== true) this.#windows.delete(oldest.value);
    }
  }

  /** Clients with a window still open. */
  get trackedClients(): number {
    return this.#windows.size;
  }

  #forgetEnded(now: number): void {
    for (const [client, window] of this.#windows) {
      if (window.endsAt > now) return;
      this.#windows.delete(client);
    }
  }
}

const definedOnly = (limit: AuthFailureLimit): AuthFailureLimit =>
  Object.fromEntries(Object.entries(limit).filter(([, value]) => value !== undefined));
