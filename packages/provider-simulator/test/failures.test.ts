import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  startWhatsAppSimulator,
  startZapiSimulator,
  startZapperSimulator,
  type WhatsAppSimulator,
} from "../src/index.js";
import { at, postJson } from "./helpers.js";

const validMessage = {
  messaging_product: "whatsapp",
  to: "5511999999999",
  type: "interactive",
  interactive: {
    type: "button",
    body: { text: "Pick one" },
    action: { buttons: [{ type: "reply", reply: { id: "a", title: "A" } }] },
  },
};

describe("failNext", () => {
  let sim: WhatsAppSimulator;
  let url: string;
  let auth: Record<string, string>;
  const send = (init: RequestInit = {}) => postJson(url, validMessage, auth, init);

  beforeAll(async () => {
    sim = await startWhatsAppSimulator();
    url = `${sim.baseUrl}/v23.0/${sim.credentials.phoneNumberId}/messages`;
    auth = { authorization: `Bearer ${sim.credentials.accessToken}` };
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it("builds Meta's envelope for an error code with its HTTP status, then answers normally", async () => {
    sim.failNext({ errorCode: 130429 });

    const failed = await send();
    expect(failed.status).toBe(429);
    expect(at(failed.body, "error", "code")).toBe(130429);
    expect(at(failed.body, "error", "type")).toBe("OAuthException");
    expect(typeof at(failed.body, "error", "fbtrace_id")).toBe("string");
    expect((await send()).status).toBe(200);
  });

  it("counts down over the given number of requests", async () => {
    sim.failNext({ times: 2, status: 503 });

    const statuses = [(await send()).status, (await send()).status, (await send()).status];
    expect(statuses).toEqual([503, 503, 200]);
    expect(sim.received.map((request) => request.injected)).toEqual([true, true, false]);
  });

  it("lets status override the status that comes with an error code", async () => {
    sim.failNext({ errorCode: 131000, status: 502 });
    const failed = await send();
    expect(failed.status).toBe(502);
    expect(at(failed.body, "error", "code")).toBe(131000);
  });

  it("applies queued failures in order", async () => {
    sim.failNext({ errorCode: 131026 });
    sim.failNext({ errorCode: 190 });
    expect((await send()).status).toBe(400);
    expect((await send()).status).toBe(401);
    expect((await send()).status).toBe(200);
  });

  it("answers 500 with code 131000 when given nothing", async () => {
    sim.failNext();
    const failed = await send();
    expect(failed.status).toBe(500);
    expect(at(failed.body, "error", "code")).toBe(131000);
  });

  it("sends a raw body override as JSON or as text", async () => {
    sim.failNext({ status: 418, body: { anything: true } });
    sim.failNext({ status: 502, body: "<html>Bad gateway</html>" });

    expect(await send()).toMatchObject({ status: 418, body: { anything: true } });
    const text = await send();
    expect(text).toMatchObject({ status: 502, body: "<html>Bad gateway</html>" });
    expect(text.headers.get("content-type")).toMatch(/^text\/plain/);
  });

  it("sets Retry-After and defaults to Meta's rate-limit error when only retryAfterSeconds is given", async () => {
    sim.failNext({ retryAfterSeconds: 7 });
    const failed = await send();
    expect(failed.status).toBe(429);
    expect(failed.headers.get("retry-after")).toBe("7");
    expect(at(failed.body, "error", "code")).toBe(130429);
  });

  it("delays the answer by latencyMs and then answers normally", async () => {
    sim.failNext({ latencyMs: 150 });
    const started = performance.now();
    const response = await send();
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(response.status).toBe(200);
    expect(sim.received[0]?.injected).toBe(false);
  });

  it("makes a client timeout fire when latency exceeds it", async () => {
    sim.failNext({ latencyMs: 500 });
    await expect(send({ signal: AbortSignal.timeout(50) })).rejects.toThrow();
  });

  it("resets the connection without answering and records that", async () => {
    sim.failNext({ reset: true });

    await expect(send()).rejects.toThrow(TypeError);
    expect(sim.received).toHaveLength(1);
    expect(sim.received[0]).toMatchObject({
      injected: true,
      response: { kind: "reset" },
      body: validMessage,
    });
    expect((await send()).status).toBe(200);
  });

  it("rejects a non-positive times", () => {
    expect(() => sim.failNext({ times: 0 })).toThrow(RangeError);
  });

  it("is forgotten on reset()", async () => {
    sim.failNext({ times: 3, status: 500 });
    sim.reset();
    expect((await send()).status).toBe(200);
  });

  it("builds Z-API's { error } envelope from a status", async () => {
    const zapi = await startZapiSimulator();
    try {
      zapi.failNext({ status: 503, retryAfterSeconds: 2 });
      const { instanceId, token, clientToken } = zapi.credentials;
      const response = await postJson(
        `${zapi.baseUrl}/instances/${instanceId}/token/${token}/send-button-list`,
        {
          phone: "5511999999999",
          message: "Hi",
          buttonList: { buttons: [{ id: "1", label: "Ok" }] },
        },
        { "client-token": clientToken },
      );
      expect(response).toMatchObject({ status: 503, body: { error: "Service Unavailable" } });
      expect(response.headers.get("retry-after")).toBe("2");
    } finally {
      await zapi.close();
    }
  });

  it("builds ZapperAPI's Fastify envelope from an error code", async () => {
    const zapper = await startZapperSimulator();
    try {
      zapper.failNext({ errorCode: 502 });
      const response = await postJson(
        `${zapper.baseUrl}/${zapper.credentials.instanceId}/messages/buttons`,
        {
          jid: "5511999999999",
          body: "Hi",
          buttons: [{ type: "reply", displayText: "Ok", id: "ok" }],
        },
        { "x-api-key": zapper.credentials.apiKey },
      );
      expect(response).toMatchObject({
        status: 502,
        body: { statusCode: 502, error: "Bad Gateway" },
      });
    } finally {
      await zapper.close();
    }
  });
});

describe("persistent latency", () => {
  it("delays every answer by the latencyMs option", async () => {
    const sim = await startZapperSimulator({ latencyMs: 100 });
    try {
      const started = performance.now();
      await fetch(`${sim.baseUrl}/nowhere`);
      await fetch(`${sim.baseUrl}/nowhere`);
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    } finally {
      await sim.close();
    }
  });
});
