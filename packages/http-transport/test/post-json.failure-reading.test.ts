import { getEventListeners } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import { ProviderUnavailable } from "@replykit/core";
import { describe, expect, it } from "vitest";
import {
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  postJson,
  RequestNotSent,
} from "../src/index.js";

// postJson against scripted transports: what it makes of each way a transport fails, and
// what it leaves behind once a send is over. No network, so every case is deterministic.

const SECRET = "tok-SECRET-123";

const ok = (status = 200, body = "{}"): HttpResponse => ({
  status,
  body,
  header: () => undefined,
});

const post = (
  transport: HttpTransport,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
) =>
  postJson({
    provider: "acme",
    transport,
    url: `https://api.acme.example/token/${SECRET}/send`,
    headers: { "client-token": SECRET },
    json: { hello: "world" },
    timeoutMs: options.timeoutMs ?? 1_000,
    signal: options.signal ?? new AbortController().signal,
  });

async function rejectionOf(promise: Promise<unknown>): Promise<ProviderUnavailable> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderUnavailable);
  return error as ProviderUnavailable;
}

const failingWith =
  (error: unknown): HttpTransport =>
  async () => {
    throw error;
  };

/** As undici reports a failure: the code on the error itself. */
const undiciError = (code: string) =>
  Object.assign(new Error(`${code} while connecting`), { code });
/** As `fetch` reports it: a TypeError whose `cause` carries the code. */
const fetchError = (code: string) => new TypeError("fetch failed", { cause: undiciError(code) });

/** Resolves when `signal` aborts, rejecting the way transports do. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    const fail = () => reject(Object.assign(new Error("aborted"), { name: "AbortError" }));
    if (signal.aborted) fail();
    else signal.addEventListener("abort", fail, { once: true });
  });

describe("postJson: failures that prove nothing was sent", () => {
  const NOTHING_SENT = [
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "UND_ERR_CONNECT_TIMEOUT",
    "ERR_REQUEST_NOT_SENT",
  ];

  it.each(NOTHING_SENT)(
    "does not say delivery is unknown for %s reported by undici",
    async (code) => {
      const error = await rejectionOf(post(failingWith(undiciError(code))));
      expect(error).not.toHaveProperty("deliveryUnknown");
      expect(error.retryable).toBe(true);
      expect(error.message).toBe(`could not reach acme (${code})`);
    },
  );

  it.each(NOTHING_SENT)(
    "does not say delivery is unknown for %s reported by fetch",
    async (code) => {
      const error = await rejectionOf(post(failingWith(fetchError(code))));
      expect(error).not.toHaveProperty("deliveryUnknown");
      expect(error.message).toBe(`could not reach acme (${code})`);
    },
  );

  it("reads a RequestNotSent from a transport that held the request back as nothing sent", async () => {
    const error = await rejectionOf(post(failingWith(new RequestNotSent())));
    expect(error).not.toHaveProperty("deliveryUnknown");
    expect(error.message).toBe("could not reach acme (ERR_REQUEST_NOT_SENT)");
  });
});

describe("postJson: failures after which the message may have been delivered", () => {
  it.each(["ECONNRESET", "EPIPE", "ETIMEDOUT", "UND_ERR_SOCKET", "UND_ERR_HEADERS_TIMEOUT"])(
    "says delivery is unknown for %s",
    async (code) => {
      const error = await rejectionOf(post(failingWith(fetchError(code))));
      expect(error.deliveryUnknown).toBe(true);
      expect(error.retryable).toBe(true);
      expect(error.message).toBe(`could not reach acme (${code})`);
    },
  );

  it("says delivery is unknown for something thrown that is not an Error", async () => {
    const error = await rejectionOf(post(failingWith("boom")));
    expect(error.deliveryUnknown).toBe(true);
    expect(error.message).toBe("could not reach acme (network error)");
  });
});

describe("postJson: an error code is quoted only when it is a bare code", () => {
  // A code is quoted into the error message, which reaches logs and API answers; a "code"
  // that carries anything else (a URL with a token in its path, a sentence) must not be,
  // and it says nothing about whether the request was sent.
  it.each([
    ["text after a code", `ECONNREFUSED https://api.acme.example/token/${SECRET}`],
    ["text before a code", `https://api.acme.example/token/${SECRET}/ECONNREFUSED`],
    ["lower case", `econnrefused-${SECRET}`],
    ["a line break", "ECONNREFUSED\nECONNRESET"],
    ["nothing at all", ""],
  ])("ignores a code with %s, and says delivery is unknown", async (_, code) => {
    const error = await rejectionOf(post(failingWith(fetchError(code))));
    expect(error.message).toBe("could not reach acme (TypeError)");
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(error.deliveryUnknown).toBe(true);
  });

  it("ignores a code that is not a string", async () => {
    const error = await rejectionOf(
      post(failingWith(Object.assign(new Error("x"), { code: 111 }))),
    );
    expect(error.message).toBe("could not reach acme (Error)");
    expect(error.deliveryUnknown).toBe(true);
  });

  it("prefers the code of the cause, where fetch puts it, to the error's own", async () => {
    const error = await rejectionOf(
      post(failingWith(Object.assign(fetchError("ECONNRESET"), { code: "ECONNREFUSED" }))),
    );
    expect(error.message).toBe("could not reach acme (ECONNRESET)");
    expect(error.deliveryUnknown).toBe(true);
  });

  it("names one code for an AggregateError only when every address agrees", async () => {
    const agreeing = new AggregateError([undiciError("EAI_AGAIN"), undiciError("EAI_AGAIN")]);
    const agreed = await rejectionOf(post(failingWith(agreeing)));
    expect(agreed.message).toBe("could not reach acme (EAI_AGAIN)");
    expect(agreed).not.toHaveProperty("deliveryUnknown");

    const empty = await rejectionOf(post(failingWith(new AggregateError([]))));
    expect(empty.message).toBe("could not reach acme (AggregateError)");
    expect(empty.deliveryUnknown).toBe(true);
  });
});

describe("postJson: whatever a transport rejects with", () => {
  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a string", "boom"],
    ["an error whose cause is null", new Error("x", { cause: null })],
    ["an error whose cause is undefined", new Error("x", { cause: undefined })],
  ])("turns %s into a ProviderUnavailable, delivery unknown", async (_, thrown) => {
    const error = await rejectionOf(post(failingWith(thrown)));
    expect(error.deliveryUnknown).toBe(true);
    expect(error.message).toMatch(/^could not reach acme \(/);
  });

  it.each([
    ["null", null],
    ["a string", "shutting down"],
  ])("reads a caller's abort whose reason is %s as abandoned", async (_, reason) => {
    const caller = new AbortController();
    setTimeout(() => caller.abort(reason), 10);
    const error = await rejectionOf(
      post(async (request) => untilAborted(request.signal), { signal: caller.signal }),
    );
    expect(error.message).toBe(
      "acme did not answer before it was abandoned; the message may or may not have been sent",
    );
  });

  it("reads a caller's abort with a TimeoutError as the attempt timing out", async () => {
    const caller = new AbortController();
    setTimeout(() => caller.abort(new DOMException("late", "TimeoutError")), 10);
    const error = await rejectionOf(
      post(async (request) => untilAborted(request.signal), { signal: caller.signal }),
    );
    expect(error.message).toBe(
      "acme did not answer before the attempt timed out; the message may or may not have been sent",
    );
  });
});

describe("postJson leaves nothing behind", () => {
  it("clears its timer and its listener on the caller's signal once the answer arrived", async () => {
    const caller = new AbortController();
    let seen: HttpRequest | undefined;
    const answer = await post(
      async (request) => {
        seen = request;
        return ok(201, '{"id":"m-1"}');
      },
      { timeoutMs: 20, signal: caller.signal },
    );
    expect(answer).toEqual({ status: 201, body: { id: "m-1" }, retryAfterMs: undefined });
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    await sleep(60);
    caller.abort();
    // Neither the timeout nor the caller reaches a request that is over.
    expect(seen?.signal.aborted).toBe(false);
  });

  it("clears its timer and its listener after a failure too", async () => {
    const caller = new AbortController();
    let seen: HttpRequest | undefined;
    await rejectionOf(
      post(
        async (request) => {
          seen = request;
          throw fetchError("ECONNRESET");
        },
        { timeoutMs: 20, signal: caller.signal },
      ),
    );
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    await sleep(60);
    expect(seen?.signal.aborted).toBe(false);
  });

  it("adds no listener per send to a signal shared by many sends", async () => {
    const shared = new AbortController();
    for (let i = 0; i < 20; i += 1) {
      await post(async () => ok(), { signal: shared.signal });
    }
    expect(getEventListeners(shared.signal, "abort")).toHaveLength(0);
  });
});

describe("postJson's timeout around a transport that holds the request back", () => {
  it("does not count the wait for a connection against timeoutMs", async () => {
    const answer = await post(
      async (request) => {
        request.onWait?.();
        await Promise.race([sleep(80), untilAborted(request.signal)]);
        request.onDispatch?.();
        return ok(200, '{"sent":true}');
      },
      { timeoutMs: 30 },
    );
    expect(answer.body).toEqual({ sent: true });
  });

  it("counts timeoutMs from the dispatch, once the wait is over", async () => {
    const started = Date.now();
    const error = await rejectionOf(
      post(
        async (request) => {
          request.onWait?.();
          await sleep(50);
          request.onDispatch?.();
          return untilAborted(request.signal);
        },
        { timeoutMs: 30 },
      ),
    );
    expect(error.message).toBe("acme did not answer within 30 ms");
    expect(error.deliveryUnknown).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("aborts the request as soon as the caller aborts, even while it waits", async () => {
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 10);
    const error = await rejectionOf(
      post(
        async (request) => {
          request.onWait?.();
          await untilAborted(request.signal).catch(() => undefined);
          throw new RequestNotSent();
        },
        { timeoutMs: 5_000, signal: caller.signal },
      ),
    );
    expect(error).not.toHaveProperty("deliveryUnknown");
    expect(error.message).toMatch(/^the request to acme was not sent: it was abandoned/);
  });
});

describe("postJson's request", () => {
  it("posts the JSON body with JSON content type and accept headers, the caller's headers kept", async () => {
    let seen: HttpRequest | undefined;
    await post(async (request) => {
      seen = request;
      return ok();
    });
    expect(seen).toMatchObject({
      method: "POST",
      url: `https://api.acme.example/token/${SECRET}/send`,
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "client-token": SECRET,
      },
      body: '{"hello":"world"}',
    });
  });

  it("reads Retry-After and a blank body", async () => {
    const answer = await post(async () => ({
      status: 503,
      body: "  \n",
      header: (name) => (name === "retry-after" ? "2" : undefined),
    }));
    expect(answer).toEqual({ status: 503, body: undefined, retryAfterMs: 2000 });
  });
});

describe("postJson around a caller's signal that times out on its own", () => {
  const postWithin = (
    transport: HttpTransport,
    options: { timeoutMs: number; signalTimeoutMs: number; signal: AbortSignal },
  ) =>
    postJson({
      provider: "acme",
      transport,
      url: "https://api.acme.example/send",
      headers: {},
      json: {},
      ...options,
    });

  it("gives the transport the caller's signal alone when it aborts no later than timeoutMs", async () => {
    const caller = new AbortController();
    let seen: HttpRequest | undefined;
    let listenersDuringSend = -1;
    await postWithin(
      async (request) => {
        seen = request;
        listenersDuringSend = getEventListeners(caller.signal, "abort").length;
        return ok();
      },
      { timeoutMs: 10_000, signalTimeoutMs: 10_000, signal: caller.signal },
    );
    expect(seen?.signal).toBe(caller.signal);
    expect(listenersDuringSend).toBe(0);
  });

  it("reads the caller's signal timing out as the attempt timing out", async () => {
    const caller = new AbortController();
    setTimeout(() => caller.abort(new DOMException("late", "TimeoutError")), 10);
    const error = await rejectionOf(
      postWithin(async (request) => untilAborted(request.signal), {
        timeoutMs: 1_000,
        signalTimeoutMs: 10,
        signal: caller.signal,
      }),
    );
    expect(error).toMatchObject({ retryable: true, deliveryUnknown: true });
    expect(error.message).toBe(
      "acme did not answer before the attempt timed out; the message may or may not have been sent",
    );
  });

  it("keeps its own deadline when the caller's signal may abort later than timeoutMs", async () => {
    const caller = new AbortController();
    let seen: HttpRequest | undefined;
    const error = await rejectionOf(
      postWithin(
        async (request) => {
          seen = request;
          return untilAborted(request.signal);
        },
        { timeoutMs: 30, signalTimeoutMs: 5_000, signal: caller.signal },
      ),
    );
    expect(seen?.signal).not.toBe(caller.signal);
    expect(error.message).toBe("acme did not answer within 30 ms");
  });
});

describe("postJson's own deadline around a transport that holds requests without saying so", () => {
  it("still reads the transport's own verdict that nothing was sent", async () => {
    // No onWait: the deadline runs while the transport holds the request, then the transport
    // gives it up unsent when the deadline aborts it.
    const error = await rejectionOf(
      post(
        async (request) => {
          await untilAborted(request.signal).catch(() => undefined);
          throw new RequestNotSent();
        },
        { timeoutMs: 20 },
      ),
    );
    expect(error.message).toBe("acme did not answer within 20 ms");
    expect(error).not.toHaveProperty("deliveryUnknown", true);
  });
});
