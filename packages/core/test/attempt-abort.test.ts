import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AttemptAbort } from "../src/attempt-abort.js";
import type { Cancellation, CancellationListener } from "../src/index.js";

// An attempt's abort stands in for an AbortSignal wherever a channel only listens for the
// abort: it must behave as one, and make a real one only when asked.

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("an attempt's abort", () => {
  it("makes no AbortSignal until its signal is read", () => {
    const made = vi.spyOn(AbortController.prototype, "signal", "get");
    const attempt = new AttemptAbort("req-1", 1_000);
    attempt.addEventListener("abort", () => undefined);
    attempt.abort(new Error("gave up"));
    expect(attempt.aborted).toBe(true);
    expect(made).not.toHaveBeenCalled();
  });

  it("hands out one signal, which aborts with the attempt and its reason", () => {
    const attempt = new AttemptAbort("req-1", 1_000);
    const signal = attempt.signal;
    expect(attempt.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    const reason = new Error("timed out");
    attempt.abort(reason);
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe(reason);
  });

  it("makes a signal already aborted, with the attempt's reason, when read after the abort", () => {
    const attempt = new AttemptAbort("req-1", 1_000);
    const reason = new Error("cut short");
    attempt.abort(reason);
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toBe(reason);
  });

  it("keeps its first reason and calls its listeners once when aborted twice", () => {
    const attempt = new AttemptAbort("req-1", 1_000);
    const heard = vi.fn();
    attempt.addEventListener("abort", heard);
    attempt.abort("first");
    attempt.abort("second");
    expect(attempt.reason).toBe("first");
    expect(heard).toHaveBeenCalledTimes(1);
  });

  it("calls an object listener's handleEvent with the object as `this`", () => {
    const attempt = new AttemptAbort("req-1", 1_000);
    const listener = {
      heardBy: undefined as unknown,
      handleEvent() {
        this.heardBy = this;
      },
    };
    attempt.addEventListener("abort", listener);
    attempt.abort(undefined);
    expect(listener.heardBy).toBe(listener);
  });

  it("lets every listener hear the abort when one throws, and throws that error in a microtask", () => {
    const queued: (() => void)[] = [];
    vi.stubGlobal("queueMicrotask", (task: () => void) => queued.push(task));
    const attempt = new AttemptAbort("req-1", 1_000);
    const failure = new Error("listener bug");
    const after = vi.fn();
    attempt.addEventListener("abort", () => {
      throw failure;
    });
    attempt.addEventListener("abort", after);
    attempt.abort(undefined);
    expect(after).toHaveBeenCalledTimes(1);
    expect(queued).toHaveLength(1);
    expect(() => queued[0]?.()).toThrow(failure);
  });

  it("keeps an abort listener removed under any other event type", () => {
    const attempt = new AttemptAbort("req-1", 1_000);
    const heard = vi.fn();
    attempt.addEventListener("abort", heard);
    (attempt.removeEventListener as (type: string, listener: CancellationListener) => void)(
      "other",
      heard,
    );
    attempt.abort(undefined);
    expect(heard).toHaveBeenCalledTimes(1);
  });

  it("ignores listeners of any other event type", () => {
    const attempt = new AttemptAbort("req-1", 1_000);
    const heard = vi.fn();
    const cancellation: Cancellation = attempt;
    (cancellation.addEventListener as (type: string, listener: CancellationListener) => void)(
      "other",
      heard,
    );
    attempt.abort(undefined);
    expect(heard).not.toHaveBeenCalled();
  });
});

/** One step of a scenario played on both an attempt's abort and a real AbortSignal. */
type Step =
  | { readonly kind: "add"; readonly listener: number }
  | { readonly kind: "remove"; readonly listener: number }
  | { readonly kind: "abort"; readonly reason: string }
  | { readonly kind: "removeWhenHeard"; readonly listener: number; readonly other: number };

const LISTENERS = 4;
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("add"), listener: fc.nat(LISTENERS - 1) }),
  fc.record({ kind: fc.constant("remove"), listener: fc.nat(LISTENERS - 1) }),
  fc.record({ kind: fc.constant("abort"), reason: fc.string({ maxLength: 3 }) }),
  fc.record({
    kind: fc.constant("removeWhenHeard"),
    listener: fc.nat(LISTENERS - 1),
    other: fc.nat(LISTENERS - 1),
  }),
);

/** What the listeners heard, in order, and the final state, for one target. */
function play(target: Cancellation, abort: (reason: string) => void, steps: readonly Step[]) {
  const heard: string[] = [];
  // Half the listeners are functions, half objects with `handleEvent`, as both are allowed.
  const listeners: CancellationListener[] = Array.from({ length: LISTENERS }, (_, index) =>
    index % 2 === 0
      ? () => heard.push(`listener ${index}`)
      : { handleEvent: () => heard.push(`listener ${index}`) },
  );
  const at = (index: number) => listeners[index] as CancellationListener;
  for (const next of steps) {
    if (next.kind === "add") target.addEventListener("abort", at(next.listener));
    else if (next.kind === "remove") target.removeEventListener("abort", at(next.listener));
    else if (next.kind === "abort") abort(next.reason);
    else {
      // A listener that, when it hears the abort, removes another one not yet called.
      const remover = () => {
        heard.push(`remover of ${next.other}`);
        target.removeEventListener("abort", at(next.other));
      };
      target.addEventListener("abort", remover);
    }
  }
  return { heard, aborted: target.aborted, reason: target.reason };
}

describe("an attempt's abort, against an AbortSignal", () => {
  it("calls the same listeners in the same order, and ends in the same state", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        const attempt = new AttemptAbort("req-1", 1_000);
        const controller = new AbortController();
        const ours = play(attempt, (reason) => attempt.abort(reason), steps);
        const theirs = play(controller.signal, (reason) => controller.abort(reason), steps);
        expect(ours).toEqual(theirs);
      }),
    );
  });
});
