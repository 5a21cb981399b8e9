import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Dispatcher } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { AnswerExchange } from "../src/answer-exchange.js";
import type { HttpResponse } from "../src/transport.js";
import { postRequest } from "./http-request.js";

// undici and the signal's listener list can still reach an exchange after it settled. What
// the exchange then holds stays alive with it, and under load V8's scavenges copy and promote
// it: a settled exchange must hold neither its caller's promise nor the answer it read, and
// no exchange holds the request object once it has read its signal and timeout.

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
 * request awaiting the answer) are reachable from nothing but the exchange, or nothing.
 */
function exchangeOnItsOwn(tracker: ReturnType<typeof collectedTracker>) {
  const awaiting = { name: "the request awaiting the answer" };
  const answers: HttpResponse[] = [];
  const failures: unknown[] = [];
  const request = postRequest("http://provider.test/messages", { timeoutMs: 60_000 });
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

/** A chunk of the answer that nothing but the exchange holds once handed to it. */
function trackedChunk(tracker: ReturnType<typeof collectedTracker>, text: string): Buffer {
  const chunk = Buffer.from(text);
  tracker.track(chunk, "chunk");
  return chunk;
}

afterAll(() => {
  collectGarbage();
});

describe("a settled answer exchange", () => {
  it("holds its caller while the answer is on its way, and never the request object", async () => {
    const tracker = collectedTracker();
    const { exchange } = exchangeOnItsOwn(tracker);
    expect(exchange.started()).toBe(true);
    exchange.onRequestStart(controller);
    const collected = await tracker.afterCollection();
    expect([...collected]).toEqual(["request"]);
    exchange.onResponseError(controller, new Error("done"));
  });

  it("lets go of its caller and of the answer's bytes once the answer is read", async () => {
    const tracker = collectedTracker();
    const { exchange, answers } = exchangeOnItsOwn(tracker);
    exchange.started();
    exchange.onRequestStart(controller);
    exchange.onResponseStart(controller, 200, { "content-type": "application/json" });
    exchange.onResponseData(controller, trackedChunk(tracker, '{"ok":true}'));
    exchange.onResponseEnd();
    expect(answers.map((answer) => [answer.status, answer.body])).toEqual([[200, '{"ok":true}']]);
    const collected = await tracker.afterCollection();
    expect([...collected].sort()).toEqual(["caller", "chunk", "request"]);
    // Kept reachable, as undici or the signal's listener list may keep it.
    expect(exchange).toBeInstanceOf(AnswerExchange);
  });

  it("lets go of them once it failed", async () => {
    const tracker = collectedTracker();
    const { exchange, failures } = exchangeOnItsOwn(tracker);
    exchange.started();
    exchange.onRequestStart(controller);
    exchange.onResponseStart(controller, 200, {});
    exchange.onResponseData(controller, trackedChunk(tracker, '{"ok":'));
    exchange.onResponseError(controller, new Error("socket hang up"));
    expect(failures).toHaveLength(1);
    const collected = await tracker.afterCollection();
    expect([...collected].sort()).toEqual(["caller", "chunk", "request"]);
    expect(exchange).toBeInstanceOf(AnswerExchange);
  });
});
