import type { Cancellation } from "@replykit/core";
import { RequestNotSent } from "./transport.js";

/**
 * At most `size` requests at a time, the rest waiting in arrival order. A waiter whose
 * signal aborts leaves the line with {@link RequestNotSent}: it never reached the network.
 */
export class ConnectionSlots {
  #free: number;
  readonly #waiting = new Set<() => void>();

  constructor(size: number) {
    this.#free = size;
  }

  acquire(signal: Cancellation): Promise<void> | undefined {
    if (this.#free > 0) {
      this.#free -= 1;
      return undefined;
    }
    if (signal.aborted) return Promise.reject(new RequestNotSent());
    return new Promise((resolve, reject) => {
      const abandon = () => {
        this.#waiting.delete(grant);
        reject(new RequestNotSent());
      };
      const grant = () => {
        signal.removeEventListener("abort", abandon);
        resolve();
      };
      this.#waiting.add(grant);
      // No `once`, which a `Cancellation` does not take: an abort happens once, and `grant`
      // removes the listener.
      signal.addEventListener("abort", abandon);
    });
  }

  /** Hands the slot to the longest waiter, or frees it. */
  release(): void {
    for (const next of this.#waiting) {
      this.#waiting.delete(next);
      next();
      return;
    }
    this.#free += 1;
  }

  /** Requests waiting for a slot. */
  get waiting(): number {
    return this.#waiting.size;
  }
}
