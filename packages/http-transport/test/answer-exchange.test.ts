import { getEventListeners } from "node:events";
import type { Dispatcher } from "undici";
import { describe, expect, it } from "vitest";
import { AnswerExchange } from "../src/answer-exchange.js";
import { AnswerTimedOut, type HttpResponse, RequestNotSent } from "../src/transport.js";
import { postRequest } from "./http-request.js";

// The exchange on its own, driven as undici drives a dispatch handler.

function undiciController() {
  const aborted: unknown[] = [];
  const controller = {
    abort: (reason: unknown) => aborted.push(reason),
  } as unknown as Dispatcher.DispatchController;
  return { controller, aborted };
}

function exchangeFor(signal: AbortSignal, timeoutMs?: number) {
  const answers: HttpResponse[] = [];
  const failures: unknown[] = [];
  const exchange = new AnswerExchange(
    postRequest("http://provider.test/", {
      signal,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    }),
    (answer) => answers.push(answer),
    (reason) => failures.push(reason),
  );
  return { exchange, answers, failures };
}

describe("AnswerExchange", () => {
  it("refuses to start, with RequestNotSent, when the caller already gave up", () => {
    const caller = new AbortController();
    caller.abort();
    const { exchange, failures } = exchangeFor(caller.signal, 1_000);
    expect(exchange.started()).toBe(false);
    expect(failures).toEqual([expect.any(RequestNotSent)]);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });

  it("settles once: what undici reports after the answer or after a failure changes nothing", () => {
    const { controller } = undiciController();
    const answered = exchangeFor(new AbortController().signal);
    answered.exchange.started();
    answered.exchange.onRequestStart(controller);
    answered.exchange.onResponseStart(controller, 200, { "x-kind": ["a", "b"] });
    answered.exchange.onResponseData(controller, Buffer.from("\uFEFF{}"));
    answered.exchange.onResponseEnd();
    answered.exchange.onResponseError(controller, new Error("late"));
    answered.exchange.onResponseEnd();
    expect(answered.failures).toEqual([]);
    expect(answered.answers.map((answer) => [answer.status, answer.body])).toEqual([[200, "{}"]]);
    expect(answered.answers[0]?.header("X-Kind")).toBe("a, b");

    const failed = exchangeFor(new AbortController().signal);
    failed.exchange.started();
    failed.exchange.onRequestStart(controller);
    failed.exchange.onResponseError(controller, new Error("reset"));
    failed.exchange.onResponseEnd();
    failed.exchange.onResponseError(controller, new Error("late"));
    expect(failed.answers).toEqual([]);
    expect(failed.failures).toEqual([new Error("reset")]);
  });

  it("leaves the caller's signal and its timer once settled, whichever way", async () => {
    const { controller, aborted } = undiciController();
    for (const settle of ["answer", "failure"] as const) {
      const caller = new AbortController();
      const { exchange } = exchangeFor(caller.signal, 20);
      exchange.started();
      exchange.onRequestStart(controller);
      expect(getEventListeners(caller.signal, "abort")).toHaveLength(1);
      if (settle === "answer") exchange.onResponseEnd();
      else exchange.onResponseError(controller, new Error("reset"));
      expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
      caller.abort();
    }
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(aborted).toEqual([]);
  });

  it("aborts through undici when the caller's signal aborts or the time is up, once started", async () => {
    const caller = new AbortController();
    const early = undiciController();
    const byCaller = exchangeFor(caller.signal);
    byCaller.exchange.started();
    const why = new Error("caller gave up");
    caller.abort(why);
    expect(early.aborted).toEqual([]);
    byCaller.exchange.onRequestStart(early.controller);
    expect(early.aborted).toEqual([why]);

    const late = undiciController();
    const byTimer = exchangeFor(new AbortController().signal, 10);
    byTimer.exchange.started();
    byTimer.exchange.onRequestStart(late.controller);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(late.aborted).toEqual([expect.any(AnswerTimedOut)]);
    expect((late.aborted[0] as AnswerTimedOut).message).toContain("10");
  });
});
