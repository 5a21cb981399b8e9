import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { overloaded } from "../http-errors/http-error.js";
import { respondWithError } from "../http-errors/respond.js";
import type { AppEnv } from "../routes/app-env.js";

/**
 * Default bound on send requests in flight per server. Each holds a provider connection
 * for the provider's answer, so past the transport's pool (64 per provider by default)
 * requests only wait for a socket: 128 lets one provider fill its pool with as many more
 * waiting — at most one answer's time each (~1 s for a slow provider), well within the
 * attempt timeout — and bounds what can still go out after its client gave up.
 */
export const DEFAULT_MAX_IN_FLIGHT_SENDS = 128;

/**
 * A count of the requests being handled against a bound: {@link InFlightBound.tryEnter}
 * admits one while under it, {@link InFlightBound.leave} when it is done.
 */
export class InFlightBound {
  readonly max: number;
  #inFlight = 0;

  constructor(max: number) {
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new RangeError(`maxInFlightSends must be a positive integer, not ${max}`);
    }
    this.max = max;
  }

  /** Admits one more request, `false` when `max` are already in flight. */
  tryEnter(): boolean {
    if (this.#inFlight >= this.max) return false;
    this.#inFlight += 1;
    return true;
  }

  leave(): void {
    this.#inFlight -= 1;
  }
}

/** `Retry-After` of a request refused at capacity, in seconds, unless said otherwise. */
export const OVERLOADED_RETRY_AFTER_SECONDS = 1;

/** The 503 of a request refused at capacity, with `Retry-After`. */
export const refuseOverloaded = (c: Context<AppEnv>, retryAfterSeconds: number) =>
  respondWithError(c, overloaded(c.get("requestId"), retryAfterSeconds));

/**
 * Refuses a request at once with 503 and `Retry-After` when `max` are already being
 * handled: nothing of it is read or sent. Work is never queued without bound, and what was
 * accepted is finished (and recorded under its idempotency key) rather than left to run
 * after its client gave up waiting in a queue.
 */
export const limitInFlight = (max: number, retryAfterSeconds = OVERLOADED_RETRY_AFTER_SECONDS) => {
  const bound = new InFlightBound(max);
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!bound.tryEnter()) return refuseOverloaded(c, retryAfterSeconds);
    try {
      await next();
    } finally {
      bound.leave();
    }
  });
};
