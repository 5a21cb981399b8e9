import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_ZAPI_CREDENTIALS, startZapiSimulator, type ZapiSimulator } from "../src/index.js";
import { postJson, readJson } from "./helpers.js";

const buttonList = (count = 2) => ({
  phone: "5511999999999",
  message: "Z-API is good?",
  buttonList: {
    buttons: Array.from({ length: count }, (_, index) => ({
      id: String(index + 1),
      label: `Option ${index + 1}`,
    })),
  },
});

const buttonActions = {
  phone: "5511999999999",
  message: "Choose one",
  title: "Header",
  footer: "Footer",
  buttonActions: [
    { id: "yes", type: "REPLY", label: "Yes" },
    { id: "no", type: "REPLY", label: "No" },
  ],
};

describe("Z-API simulator", () => {
  let sim: ZapiSimulator;
  let base: string;
  const clientToken = { "client-token": DEFAULT_ZAPI_CREDENTIALS.clientToken };
  const send = (action: string, body: unknown, headers: Record<string, string> = clientToken) =>
    postJson(`${base}/${action}`, body, headers);

  beforeAll(async () => {
    sim = await startZapiSimulator();
    base = `${sim.baseUrl}/instances/${sim.credentials.instanceId}/token/${sim.credentials.token}`;
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it("sends a button list and answers zaapId, messageId and id equal to messageId", async () => {
    const first = await send("send-button-list", buttonList());
    const second = await send("send-button-list", buttonList());

    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      zaapId: expect.stringMatching(/^[0-9A-F]+$/),
      messageId: expect.stringMatching(/^[0-9A-F]+$/),
      id: (first.body as { messageId: string }).messageId,
    });
    expect((first.body as { messageId: string }).messageId).not.toBe(
      (second.body as { messageId: string }).messageId,
    );
    expect(sim.received).toHaveLength(2);
    expect(sim.received[0]).toMatchObject({
      method: "POST",
      path: `/instances/${DEFAULT_ZAPI_CREDENTIALS.instanceId}/token/${DEFAULT_ZAPI_CREDENTIALS.token}/send-button-list`,
      body: buttonList(),
      headers: { "client-token": DEFAULT_ZAPI_CREDENTIALS.clientToken },
      response: { kind: "response", status: 200, body: first.body },
    });
  });

  it("sends button actions with title, footer and REPLY buttons", async () => {
    const response = await send("send-button-actions", buttonActions);
    expect(response.status).toBe(200);
  });

  it("answers 415 when Content-Type is not application/json", async () => {
    const url = `${base}/send-button-list`;
    const text = await fetch(url, {
      method: "POST",
      headers: { ...clientToken, "content-type": "text/plain" },
      body: JSON.stringify(buttonList()),
    });
    expect(text.status).toBe(415);
    // A byte body makes fetch send no Content-Type at all.
    const none = await fetch(url, {
      method: "POST",
      headers: clientToken,
      body: new TextEncoder().encode(JSON.stringify(buttonList())),
    });
    expect(none.status).toBe(415);
  });

  it("answers 405 to a method other than POST", async () => {
    const response = await fetch(`${base}/send-button-list`, { headers: clientToken });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("rejects a missing Client-Token with 400 and a wrong one with 403", async () => {
    const missing = await send("send-button-list", buttonList(), {});
    expect(missing).toMatchObject({
      status: 400,
      body: { error: "your client-token is not configured" },
    });
    const wrong = await send("send-button-list", buttonList(), { "client-token": "bad" });
    expect(wrong).toMatchObject({ status: 403, body: { error: "Client-Token bad not allowed" } });
  });

  it("ignores Client-Token when the account security token is not required", async () => {
    const open = await startZapiSimulator({ requireClientToken: false });
    try {
      const url = `${open.baseUrl}/instances/${open.credentials.instanceId}/token/${open.credentials.token}/send-button-list`;
      expect((await postJson(url, buttonList())).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it("answers 404 Instance not found to a wrong instance id or token", async () => {
    const wrongToken = await postJson(
      `${sim.baseUrl}/instances/${sim.credentials.instanceId}/token/nope/send-button-list`,
      buttonList(),
      clientToken,
    );
    expect(wrongToken).toMatchObject({ status: 404, body: { error: "Instance not found" } });
    const wrongInstance = await postJson(
      `${sim.baseUrl}/instances/nope/token/${sim.credentials.token}/send-button-list`,
      buttonList(),
      clientToken,
    );
    expect(wrongInstance.status).toBe(404);
  });

  it("rejects an empty message, no buttons and more than 3 buttons with 400", async () => {
    const empty = await send("send-button-list", { ...buttonList(), message: "  " });
    expect(empty).toMatchObject({
      status: 400,
      body: { error: "Bad Request", message: "message cannot be empty" },
    });
    expect((await send("send-button-list", buttonList(0))).status).toBe(400);
    expect((await send("send-button-list", buttonList(4))).status).toBe(400);
    const { phone: _phone, ...withoutPhone } = buttonList();
    expect(await send("send-button-list", withoutPhone)).toMatchObject({
      status: 400,
      body: { message: "phone is required" },
    });
  });

  it("rejects a button list carrying both an image and a video", async () => {
    const both = {
      ...buttonList(),
      buttonList: { ...buttonList().buttonList, image: "a", video: "b" },
    };
    expect((await send("send-button-list", both)).status).toBe(400);
  });

  it("rejects a CALL action without phone and an unknown action type", async () => {
    const call = { ...buttonActions, buttonActions: [{ id: "c", type: "CALL", label: "Call us" }] };
    expect((await send("send-button-actions", call)).status).toBe(400);
    const other = { ...buttonActions, buttonActions: [{ id: "x", type: "PIX", label: "Pay" }] };
    expect((await send("send-button-actions", other)).status).toBe(400);
  });

  it("takes a configurable button limit", async () => {
    const roomy = await startZapiSimulator({ maxButtons: 5 });
    try {
      const url = `${roomy.baseUrl}/instances/${roomy.credentials.instanceId}/token/${roomy.credentials.token}/send-button-list`;
      expect((await postJson(url, buttonList(4), clientToken)).status).toBe(200);
    } finally {
      await roomy.close();
    }
  });

  it("refuses to send while the instance is disconnected and reports it in /status", async () => {
    sim.setConnected(false);
    expect(sim.connected).toBe(false);
    const refused = await send("send-button-list", buttonList());
    expect(refused).toMatchObject({ status: 400, body: { error: "You are not connected." } });
    const status = await readJson(await fetch(`${base}/status`, { headers: clientToken }));
    expect(status.body).toMatchObject({ connected: false });

    sim.reset();
    expect(sim.connected).toBe(true);
    expect((await send("send-button-list", buttonList())).status).toBe(200);
  });

  it("can start disconnected", async () => {
    const offline = await startZapiSimulator({ connected: false });
    try {
      const url = `${offline.baseUrl}/instances/${offline.credentials.instanceId}/token/${offline.credentials.token}/send-button-list`;
      expect((await postJson(url, buttonList(), clientToken)).status).toBe(400);
    } finally {
      await offline.close();
    }
  });
});
