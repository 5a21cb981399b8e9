import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  startWhatsAppSimulator,
  startZapperSimulator,
  type WhatsAppSimulator,
} from "../src/index.js";
import { postJson } from "./helpers.js";

const message = (text: string) => ({
  messaging_product: "whatsapp",
  to: "5511999999999",
  type: "interactive",
  interactive: {
    type: "button",
    body: { text },
    action: { buttons: [{ type: "reply", reply: { id: "a", title: "A" } }] },
  },
});

describe("processed requests (deliveries)", () => {
  let sim: WhatsAppSimulator;
  let url: string;
  let auth: Record<string, string>;
  const send = (text = "Pick one", init: RequestInit = {}) =>
    postJson(url, message(text), auth, init);
  const processed = () => sim.received.map((request) => request.processed);

  beforeAll(async () => {
    sim = await startWhatsAppSimulator();
    url = `${sim.baseUrl}/v23.0/${sim.credentials.phoneNumberId}/messages`;
    auth = { authorization: `Bearer ${sim.credentials.accessToken}` };
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it("counts an accepted send as processed and a rejected one as not", async () => {
    await send();
    await postJson(url, message(""), auth);
    await postJson(url, message("no token"));
    expect(processed()).toEqual([true, false, false]);
    expect(sim.counts()).toEqual({ received: 3, processed: 1 });
  });

  it("does not count a request that is not a send, even when answered 200", async () => {
    const zapper = await startZapperSimulator();
    try {
      const status = await fetch(`${zapper.baseUrl}/${zapper.credentials.instanceId}/connection`, {
        headers: { "x-api-key": zapper.credentials.apiKey },
      });
      expect(status.status).toBe(200);
      expect(zapper.received.map((request) => request.processed)).toEqual([false]);
    } finally {
      await zapper.close();
    }
  });

  it("counts a send whose answer came after the client gave up as processed, recorded before the delay", async () => {
    sim.failNext({ latencyMs: 400 });
    const started = performance.now();
    await expect(send("slow", { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(300);
    expect(sim.received).toHaveLength(1);
    expect(sim.received[0]).toMatchObject({
      processed: true,
      injected: false,
      response: { kind: "response", status: 200 },
    });
  });

  it("counts a send reset after it was read as processed", async () => {
    sim.failNext({ reset: true });
    await expect(send()).rejects.toThrow(TypeError);
    expect(sim.received[0]).toMatchObject({ processed: true, response: { kind: "reset" } });
  });

  it("does not count a reset after reading a message the provider would refuse", async () => {
    sim.failNext({ reset: true });
    await expect(postJson(url, message(""), auth)).rejects.toThrow(TypeError);
    expect(processed()).toEqual([false]);
  });

  it("resets before reading the body with resetBeforeRead, processing nothing", async () => {
    sim.failNext({ resetBeforeRead: true });
    await expect(send()).rejects.toThrow(TypeError);
    expect(sim.received[0]).toMatchObject({
      processed: false,
      injected: true,
      rawBody: "",
      response: { kind: "reset" },
    });
    expect((await send()).status).toBe(200);
    expect(sim.counts()).toEqual({ received: 2, processed: 1 });
  });

  it("does not count an injected error as processed unless told so", async () => {
    sim.failNext({ status: 500 });
    sim.failNext({ status: 500, processed: true });
    sim.failNext({ errorCode: 130429 });
    expect((await send()).status).toBe(500);
    expect((await send()).status).toBe(500);
    expect((await send()).status).toBe(429);
    expect(processed()).toEqual([false, true, false]);
  });

  it("counts an unexpected 2xx body as processed", async () => {
    sim.failNext({ status: 200, body: { unexpected: true } });
    expect(await send()).toMatchObject({ status: 200, body: { unexpected: true } });
    expect(sim.received[0]).toMatchObject({ processed: true, injected: true });
  });

  it("never counts processed: true for a message the provider would refuse", async () => {
    sim.failNext({ status: 502, processed: true });
    await postJson(url, message(""), auth);
    expect(processed()).toEqual([false]);
  });

  it("keeps counting past maxRecorded, and clear() zeroes the counts", async () => {
    const bounded = await startWhatsAppSimulator({ maxRecorded: 1 });
    try {
      const boundedUrl = `${bounded.baseUrl}/v23.0/${bounded.credentials.phoneNumberId}/messages`;
      for (let index = 0; index < 3; index += 1) await postJson(boundedUrl, message("x"), auth);
      expect(bounded.received).toHaveLength(1);
      expect(bounded.counts()).toEqual({ received: 3, processed: 3 });
      bounded.clear();
      expect(bounded.counts()).toEqual({ received: 0, processed: 0 });
    } finally {
      await bounded.close();
    }
  });
});

describe("failRate", () => {
  let sim: WhatsAppSimulator;
  let url: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    sim = await startWhatsAppSimulator();
    url = `${sim.baseUrl}/v23.0/${sim.credentials.phoneNumberId}/messages`;
    auth = { authorization: `Bearer ${sim.credentials.accessToken}` };
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  const statuses = async (count: number) => {
    const seen: number[] = [];
    for (let index = 0; index < count; index += 1) {
      seen.push((await postJson(url, message(`m${index}`), auth)).status);
    }
    return seen;
  };

  it("fails about the given share of the next `times` requests, then none", async () => {
    sim.failNext({ times: 200, status: 500, failRate: 0.3, seed: 42 });
    const seen = await statuses(210);
    const failed = seen.slice(0, 200).filter((status) => status === 500).length;
    expect(failed).toBeGreaterThan(40);
    expect(failed).toBeLessThan(80);
    expect(seen.slice(0, 200).every((status) => status === 500 || status === 200)).toBe(true);
    expect(seen.slice(200)).toEqual(Array(10).fill(200));
  });

  it("fails the same requests for the same seed, and others for another seed", async () => {
    sim.failNext({ times: 40, status: 500, failRate: 0.5, seed: 7 });
    const first = await statuses(40);
    sim.failNext({ times: 40, status: 500, failRate: 0.5, seed: 7 });
    const again = await statuses(40);
    sim.failNext({ times: 40, status: 500, failRate: 0.5, seed: 8 });
    const other = await statuses(40);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it("rejects a rate outside 0 to 1", () => {
    expect(() => sim.failNext({ failRate: 1.5 })).toThrow(RangeError);
    expect(() => sim.failNext({ failRate: Number.NaN })).toThrow(RangeError);
  });
});
