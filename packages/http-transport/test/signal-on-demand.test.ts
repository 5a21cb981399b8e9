import { type Cancellation, ProviderUnavailable, type SendContext } from "@replykit/core";
import { buttonMessage } from "@replykit/core/testing";
import { describe, expect, it } from "vitest";
import {
  createHttpChannel,
  fetchTransport,
  type HttpRequest,
  type HttpTransport,
  type JsonPost,
  postJson,
  readsSignalOnDemand,
  type SignalOnDemandTransport,
} from "../src/index.js";
import { undiciTransport } from "../src/undici.js";
import { useSlowProvider } from "./slow-provider.js";

// A send's abort reaches the transport as a `cancellation` it can listen to, and its
// AbortSignal is read only by a transport that needs one: on Node 20 each AbortSignal made
// costs the server promoted memory. What is checked here is that nothing on undici's path
// reads the signal, and that every other transport still gets a real one it can copy.

const provider = useSlowProvider(150, '{"id":"m-1"}');

/** Where a test learns whether, and how often, the signal was asked for. */
class SignalReads {
  count = 0;
  constructor(readonly signal: AbortSignal | undefined) {}
  read(): AbortSignal {
    this.count += 1;
    if (this.signal === undefined) throw new Error("the signal was read");
    return this.signal;
  }
}

/** A post whose `signal` is an accessor, as a channel's is; `undefined` ones throw when read. */
class Post implements JsonPost {
  readonly provider = "acme";
  readonly url: string;
  readonly headers = {};
  readonly json = { hello: "world" };
  constructor(
    readonly transport: HttpTransport,
    readonly cancellation: Cancellation,
    readonly reads: SignalReads,
    readonly timeoutMs = 2_000,
    readonly signalTimeoutMs: number | undefined = undefined,
  ) {
    this.url = `${provider.baseUrl}/send`;
  }
  get signal(): AbortSignal {
    return this.reads.read();
  }
}

const recording = (
  seen: HttpRequest[],
  answer: (request: HttpRequest) => Promise<void> = async () => undefined,
) => {
  const transport: HttpTransport = async (request) => {
    seen.push(request);
    await answer(request);
    return { status: 200, body: '{"id":"m-1"}', header: () => undefined };
  };
  return transport;
};

describe("postJson and a transport that reads its signal on demand", () => {
  it("hands it the cancellation, and a signal read from the post only when it asks", async () => {
    const seen: HttpRequest[] = [];
    const onDemand: SignalOnDemandTransport = Object.assign(recording(seen), {
      signalOnDemand: true as const,
    });
    const controller = new AbortController();
    const reads = new SignalReads(controller.signal);
    // The attempt's signal ends within the timeout, so postJson adds no deadline of its own.
    const answer = await postJson(new Post(onDemand, controller.signal, reads, 2_000, 2_000));
    expect(answer.body).toEqual({ id: "m-1" });
    expect(seen[0]?.cancellation).toBe(controller.signal);
    expect(seen[0]?.timeoutMs).toBe(2_000);
    expect(seen[0]?.body).toBe('{"hello":"world"}');
    expect(reads.count).toBe(0);
    expect(seen[0]?.signal).toBe(controller.signal);
    expect(reads.count).toBe(1);
  });

  it("is recognised by its flag alone", () => {
    expect(readsSignalOnDemand(undiciTransport())).toBe(true);
    expect(readsSignalOnDemand(fetchTransport())).toBe(false);
    expect(readsSignalOnDemand(recording([]))).toBe(false);
  });
});

describe("postJson and any other transport", () => {
  it("hands it a plain request whose signal a copy keeps, with the cancellation beside it", async () => {
    const seen: HttpRequest[] = [];
    const controller = new AbortController();
    const reads = new SignalReads(controller.signal);
    await postJson(new Post(recording(seen), controller.signal, reads, 2_000, 2_000));
    const copy = { ...seen[0] };
    expect(copy.signal).toBe(controller.signal);
    expect(copy.cancellation).toBe(controller.signal);
  });

  it("keeps its deadline by aborting the transport's cancellation, not only its signal", async () => {
    // A transport that listens on the cancellation alone: it must hear postJson's deadline.
    const deaf: HttpTransport = (request) =>
      new Promise((_, reject) => {
        request.cancellation?.addEventListener("abort", () => reject(new Error("aborted")));
      });
    const controller = new AbortController();
    const started = Date.now();
    const error = await postJson(
      new Post(deaf, controller.signal, new SignalReads(controller.signal), 50),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect((error as Error).message).toBe("acme did not answer within 50 ms");
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe("postJson and a cancellation", () => {
  it("refuses to send, reading no signal, when the cancellation had aborted", async () => {
    const seen: HttpRequest[] = [];
    const onDemand = Object.assign(recording(seen), { signalOnDemand: true as const });
    const error = await postJson(
      new Post(onDemand, AbortSignal.abort(), new SignalReads(undefined)),
    ).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe("the request to acme was abandoned before it was sent");
    expect(seen).toEqual([]);
  });

  it("names a timeout the cancellation reports, reading no signal", async () => {
    const controller = new AbortController();
    const onDemand = Object.assign(
      recording([], async () => {
        controller.abort(new DOMException("the attempt timed out", "TimeoutError"));
        throw new Error("aborted");
      }),
      { signalOnDemand: true as const },
    );
    const error = await postJson(
      new Post(onDemand, controller.signal, new SignalReads(undefined)),
    ).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe(
      "acme did not answer before the attempt timed out; the message may or may not have been sent",
    );
  });
});

describe("undiciTransport with a cancellation", () => {
  it("gives up a request under way when the cancellation aborts, reading no signal", async () => {
    const transport = undiciTransport();
    try {
      const controller = new AbortController();
      const reads = new SignalReads(undefined);
      const pending = postJson(new Post(transport, controller.signal, reads));
      setTimeout(() => controller.abort(), 30);
      await expect(pending).rejects.toMatchObject({ deliveryUnknown: true });
      expect(reads.count).toBe(0);
    } finally {
      await transport.close();
    }
  });

  it("lets a request waiting for a connection leave as never sent, reading no signal", async () => {
    const transport = undiciTransport({ connections: 1 });
    try {
      const before = provider.received;
      const reads = new SignalReads(undefined);
      const first = postJson(new Post(transport, new AbortController().signal, reads));
      const waiting = new AbortController();
      const second = postJson(new Post(transport, waiting.signal, reads));
      setTimeout(() => waiting.abort(), 20);
      const error = await second.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect((error as ProviderUnavailable).deliveryUnknown).toBeUndefined();
      expect((await first).status).toBe(200);
      expect(provider.received - before).toBe(1);
      expect(reads.count).toBe(0);
    } finally {
      await transport.close();
    }
  });
});

/** A send's context whose signal is an accessor, as the use case gives a channel. */
class Context implements SendContext {
  readonly requestId = "req-1";
  readonly signalTimeoutMs = 2_000;
  constructor(
    readonly cancellation: Cancellation,
    readonly reads: SignalReads,
  ) {}
  get signal(): AbortSignal {
    return this.reads.read();
  }
}

describe("an HTTP channel", () => {
  const spec = (transport: HttpTransport) => ({
    provider: "acme",
    capabilities: {
      maxButtons: 3,
      limits: { body: 1024, buttonTitle: 20, buttonId: 256, header: 60, footer: 60 },
      header: true,
      footer: true,
      buttonRendering: "native" as const,
    },
    url: `${provider.baseUrl}/send`,
    headers: {},
    timeoutMs: 2_000,
    transport,
    secrets: [],
    toRequestBody: () => ({}),
    readAnswer: () => ({ providerMessageId: "m-1" }),
  });
  const message = buttonMessage({ body: "Hi", buttons: [{ id: "a", title: "A" }] });

  it("says it reads its signal on demand, and sends over undici without reading it", async () => {
    const transport = undiciTransport();
    try {
      const channel = createHttpChannel(spec(transport));
      expect(channel.signalOnDemand).toBe(true);
      const reads = new SignalReads(undefined);
      const controller = new AbortController();
      await expect(
        channel.send("5511999990000", message, new Context(controller.signal, reads)),
      ).resolves.toEqual({ providerMessageId: "m-1" });
      expect(reads.count).toBe(0);
    } finally {
      await transport.close();
    }
  });

  it("reads the context's signal for a transport that needs one", async () => {
    const seen: HttpRequest[] = [];
    const channel = createHttpChannel(spec(recording(seen)));
    const controller = new AbortController();
    const reads = new SignalReads(controller.signal);
    await channel.send("5511999990000", message, new Context(controller.signal, reads));
    expect(seen[0]?.signal).toBe(controller.signal);
    expect(reads.count).toBe(1);
  });

  it("listens to the signal of a context without a cancellation", async () => {
    const seen: HttpRequest[] = [];
    const channel = createHttpChannel(spec(recording(seen)));
    const controller = new AbortController();
    await channel.send("5511999990000", message, {
      requestId: "r",
      signal: controller.signal,
      signalTimeoutMs: 1_000,
    });
    expect(seen[0]?.cancellation).toBe(controller.signal);
  });
});
