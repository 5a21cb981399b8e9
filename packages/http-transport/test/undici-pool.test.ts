import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { ConnectionSlots } from "../src/connection-slots.js";
import { postJson, RequestNotSent } from "../src/index.js";
import { undiciTransport } from "../src/undici.js";
import { useSlowProvider } from "./slow-provider.js";

const PROVIDER_LATENCY_MS = 120;
const provider = useSlowProvider(PROVIDER_LATENCY_MS, '{"ok":true}');

const post = (
  transport: ReturnType<typeof undiciTransport>,
  options: { timeoutMs: number; signal?: AbortSignal },
) =>
  postJson({
    provider: "acme",
    transport,
    url: `${provider.baseUrl}/send`,
    headers: {},
    json: {},
    timeoutMs: options.timeoutMs,
    signal: options.signal ?? new AbortController().signal,
  });

describe("undiciTransport's pool", () => {
  it("counts the provider's time against the timeout, not the wait for a free connection", async () => {
    const transport = undiciTransport({ connections: 1 });
    try {
      // Three sends through one socket: the last waits two answers (~240 ms) for it, longer
      // than its timeout, yet its own exchange takes ~120 ms, well within it.
      const answers = await Promise.all(
        [1, 2, 3].map(() => post(transport, { timeoutMs: PROVIDER_LATENCY_MS * 1.8 })),
      );
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    } finally {
      await transport.close();
    }
  });

  it("fails a send abandoned while it waited for a connection as never sent, and sends nothing", async () => {
    const transport = undiciTransport({ connections: 1 });
    try {
      const before = provider.received;
      const first = post(transport, { timeoutMs: 2_000 });
      const waiting = new AbortController();
      const second = post(transport, { timeoutMs: 2_000, signal: waiting.signal });
      setTimeout(() => waiting.abort(new DOMException("timed out", "TimeoutError")), 20);
      const error = await second.catch((caught: unknown) => caught);
      expect(error).toMatchObject({ _tag: "ProviderUnavailable", retryable: true });
      expect(error).not.toHaveProperty("deliveryUnknown", true);
      expect((error as Error).message).toMatch(/not sent: the attempt timed out/);
      expect((await first).status).toBe(200);
      expect(provider.received - before).toBe(1);
    } finally {
      await transport.close();
    }
  });

  it("still says delivery is unknown for a send abandoned after it was handed to the network", async () => {
    const transport = undiciTransport({ connections: 1 });
    try {
      const controller = new AbortController();
      const pending = post(transport, { timeoutMs: 2_000, signal: controller.signal });
      setTimeout(() => controller.abort(), 40);
      await expect(pending).rejects.toMatchObject({ deliveryUnknown: true });
    } finally {
      await transport.close();
    }
  });

  it("refuses a pool size that is not a positive integer", () => {
    expect(() => undiciTransport({ connections: 0 })).toThrow(RangeError);
    expect(() => undiciTransport({ connections: 2.5 })).toThrow(RangeError);
  });
});

describe("ConnectionSlots", () => {
  it("grants slots in arrival order and hands a released slot to the longest waiter", async () => {
    const slots = new ConnectionSlots(1);
    const order: number[] = [];
    expect(slots.acquire(new AbortController().signal)).toBeUndefined();
    const second = slots.acquire(new AbortController().signal)?.then(() => order.push(2));
    const third = slots.acquire(new AbortController().signal)?.then(() => order.push(3));
    expect(slots.waiting).toBe(2);
    slots.release();
    await second;
    slots.release();
    await third;
    expect(order).toEqual([2, 3]);
    slots.release();
    expect(slots.acquire(new AbortController().signal)).toBeUndefined();
  });

  it("lets an abandoned waiter leave without taking a slot", async () => {
    const slots = new ConnectionSlots(1);
    slots.acquire(new AbortController().signal);
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(RequestNotSent);
    expect(slots.waiting).toBe(0);
    slots.release();
    expect(slots.acquire(new AbortController().signal)).toBeUndefined();
    await expect(slots.acquire(AbortSignal.abort())).rejects.toBeInstanceOf(RequestNotSent);
  });
});

describe("undiciTransport's limit per origin", () => {
  it("holds a send back only behind sends to the same origin, never behind another origin's", async () => {
    const second = createServer((request, response) => {
      request.resume();
      request.on("end", () => {
        response.setHeader("content-type", "application/json");
        response.end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => second.listen(0, "127.0.0.1", resolve));
    const secondUrl = `http://127.0.0.1:${(second.address() as AddressInfo).port}/send`;
    const transport = undiciTransport({ connections: 1 });
    try {
      const slow = post(transport, { timeoutMs: 5_000 });
      const startedAt = Date.now();
      // The first origin's only connection is busy for ~120 ms; the other origin has its own.
      const other = await postJson({
        provider: "acme",
        transport,
        url: secondUrl,
        headers: {},
        json: {},
        timeoutMs: 5_000,
        signal: new AbortController().signal,
      });
      expect(other.status).toBe(200);
      expect(Date.now() - startedAt).toBeLessThan(PROVIDER_LATENCY_MS - 20);
      expect((await slow).status).toBe(200);
    } finally {
      await transport.close();
      second.closeAllConnections();
      await new Promise((resolve) => second.close(resolve));
    }
  });
});
