import type { Cancellation, CancellationListener, SendContext } from "./ports/channel.js";

/**
 * One attempt's context and abort, with its `AbortSignal` made only when someone asks for
 * it: on Node 20 every `AbortSignal` made has V8 promote what the request allocated around
 * it to the old generation (measured: ~0.4 KB a send), and a channel that only listens for
 * the abort needs none. Once made, the signal aborts with the attempt, or is born aborted
 * with the attempt's reason.
 *
 * It is itself the context given to a channel that reads its signal on demand
 * (`ChannelPort.signalOnDemand`): `signal` is an accessor, so that listening on
 * `cancellation` never makes one. Code that calls `send` itself can give one the same way,
 * and `abort()` it when it gives up. A class rather than an object literal with a getter: V8
 * keeps an own accessor per object, which itself makes a request's objects survive
 * scavenges.
 */
export class AttemptAbort implements Cancellation, SendContext {
  #aborted = false;
  #reason: unknown;
  #controller: AbortController | undefined;
  #listeners: CancellationListener[] | undefined;

  /**
   * @param requestId correlates the send with the request that caused it.
   * @param signalTimeoutMs the time within which whoever holds this attempt promises to
   *   `abort()` it (the use case arms a timer for it): see `SendContext.signalTimeoutMs`.
   */
  constructor(
    readonly requestId: string,
    readonly signalTimeoutMs: number,
  ) {}

  get cancellation(): Cancellation {
    return this;
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  addEventListener(type: "abort", listener: CancellationListener): void {
    if (type !== "abort" || this.#aborted) return;
    if (this.#listeners === undefined) this.#listeners = [listener];
    else if (!this.#listeners.includes(listener)) this.#listeners.push(listener);
  }

  removeEventListener(type: "abort", listener: CancellationListener): void {
    const listeners = this.#listeners;
    if (type !== "abort" || listeners === undefined) return;
    const at = listeners.indexOf(listener);
    if (at !== -1) listeners.splice(at, 1);
  }

  /**
   * Aborts once: the signal if it was made, then each listener in the order they were added
   * (one removed meanwhile is skipped). A listener that throws does not keep the others from
   * hearing it; its error is thrown again in a microtask, where an `AbortSignal` listener's
   * error would surface too.
   */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    if (listeners === undefined) return;
    // Taken from the list as they are called, so that one removed by an earlier listener is
    // skipped; none can be added any more.
    for (let next = listeners.shift(); next !== undefined; next = listeners.shift()) {
      try {
        if (typeof next === "function") next();
        else next.handleEvent();
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
    this.#listeners = undefined;
  }
}
