import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Dispatcher } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { AnswerExchange } from "../src/answer-exchange.js";
import type { HttpRequest, HttpResponse } from "../src/transport.js";

// undici and the signal's listener list can still reach an exchange after it settled. What
// the exchange then holds stays alive with it, and under load V8's scavenges copy and promote
// it: a settled exchange must hold neither its request nor its caller's promise.

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** Which of the objects registered were collected. */
function collectedTracker() {
  const collected = new Set<string>();
  const registry = new FinalizationRegistry<string>((name) => collected.add(name));
  return {
    track: (value: object, name: string) => registry.register(value, name),
    async afterCollection(): Promise<ReadonlySet<string>> {
      for (let round = 0; round < 3; round += 1) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        collectGarbage();
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
      return collected;
    },
  };
}

const controller = {
  abort: () => undefined,
  pause: () => undefined,
  resume: () => undefined,
  aborted: false,
  paused: false,
  reason: null,
} as unknown as Dispatcher.DispatchController;

/**
 * An exchange whose request and caller (the promise's resolve and reject, standing for the
 * request awaiting the answer) are reachable from nothing but the exchange.
 */
function exchangeOnItsOwn(tracker: ReturnType<typeof collectedTracker>) {
  const awaiting = { name: "the request awaiting the answer" };
  const answers: HttpResponse[] = [];
  const failures: unknown[] = [];
  const request: HttpRequest = {
    method: "POST",
    url: "http://provider.test/messages",
    headers: {},
    body: "{}",
    signal: new AbortController().signal,
    timeoutMs: 60_000,
  };
  tracker.track(awaiting, "caller");
  tracker.track(request, "request");
  const exchange = new AnswerExchange(
    request,
    (answer) => {
      answers.push(answer);
      return awaiting;
    },
    (reason) => {
      failures.push(reason);
      return awaiting;
    },
  );
  return { exchange, answers, failures };
}

afterAll(() => {
  collectGarbage();
});

describe("a settled answer exchange", () => {
  it("holds its request and its caller while the answer is on its way", async () => {
    const tracker = collectedTracker();
    const { exchange } = exchangeOnItsOwn(tracker);
    expect(exchange.started()).toBe(true);
    exchange.onRequestStart(controller);
    const collected = await tracker.afterCollection();
    expect(collected.has("caller")).toBe(false);
    expect(collected.has("request")).toBe(false);
    exchange.onResponseError(controller, new Error("done"));
  });

  it("lets go of its request and its caller once the answer is read", async () => {
    const tracker = collectedTracker();
    const { exchange, answers } = exchangeOnItsOwn(tracker);
    exchange.started();
    exchange.onRequestStart(controller);
    exchange.onResponseStart(controller, 200, { "content-type": "application/json" });
    exchange.onResponseData(controller, Buffer.from('{"ok":true}'));
    exchange.onResponseEnd();
    expect(answers.map((answer) => [answer.status, answer.body])).toEqual([[200, '{"ok":true}']]);
    const collected = await tracker.afterCollection();
    expect([...collected].sort()).toEqual(["caller", "request"]);
    // Kept reachable, as undici or the signal's listener list may keep it.
    expect(exchange).toBeInstanceOf(AnswerExchange);
  });

  it("lets go of them once it failed", async () => {
    const tracker = collectedTracker();
    const { exchange, failures } = exchangeOnItsOwn(tracker);
    exchange.started();
    exchange.onRequestStart(controller);
    exchange.onResponseError(controller, new Error("socket hang up"));
    expect(failures).toHaveLength(1);
    const collected = await tracker.afterCollection();
    expect([...collected].sort()).toEqual(["caller", "request"]);
    expect(exchange).toBeInstanceOf(AnswerExchange);
  });
});
