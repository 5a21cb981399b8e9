import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_WHATSAPP_CREDENTIALS,
  DEFAULT_ZAPI_CREDENTIALS,
  DEFAULT_ZAPPER_CREDENTIALS,
  type ProviderSimulatorSet,
  redeliverWebhook,
  startProviderSimulator,
} from "../src/index.js";
import { at, postJson } from "./helpers.js";

// ---------------------------------------------------------------------------------------
// A local receiver standing in for replykit's webhook route: it records every request
// exactly as it arrived and answers with the next scripted status (200 by default).
// ---------------------------------------------------------------------------------------

interface Arrived {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly raw: Buffer;
  readonly text: string;
  readonly json: unknown;
}

interface Receiver {
  readonly url: string;
  readonly arrived: Arrived[];
  answer(...statuses: number[]): void;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const arrived: Arrived[] = [];
  const statuses: number[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      arrived.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        raw,
        text,
        json,
      });
      const status = statuses.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" });
      res.end(`received ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    arrived,
    answer: (...next) => statuses.push(...next),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Meta's check, written independently: HMAC-SHA256 of the raw bytes, hex, constant time. */
function metaVerifies(appSecret: string, raw: Buffer, header: unknown): boolean {
  if (typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = Buffer.from(createHmac("sha256", appSecret).update(raw).digest("hex"));
  const given = Buffer.from(header.slice("sha256=".length));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const APP_SECRET = "meta-app-secret-for-tests";

let sim: ProviderSimulatorSet;
let receiver: Receiver;

beforeAll(async () => {
  sim = await startProviderSimulator();
  receiver = await startReceiver();
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  sim.reset();
  receiver.arrived.length = 0;
});

const last = (): Arrived => {
  const request = receiver.arrived.at(-1);
  if (request === undefined) throw new Error("nothing arrived");
  return request;
};

// ---------------------------------------------------------------------------------------
// Sends through the simulators, the way an adapter does, to get real message ids.
// ---------------------------------------------------------------------------------------

async function sendWhatsApp(to = "+55 11 99999-9999"): Promise<string> {
  const response = await postJson(
    `${sim.whatsapp.baseUrl}/v23.0/${DEFAULT_WHATSAPP_CREDENTIALS.phoneNumberId}/messages`,
    {
      messaging_product: "whatsapp",
      to,
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "Confirm?" },
        action: {
          buttons: [
            { type: "reply", reply: { id: "yes", title: "Yes" } },
            { type: "reply", reply: { id: "no", title: "No, thanks" } },
          ],
        },
      },
    },
    { authorization: `Bearer ${DEFAULT_WHATSAPP_CREDENTIALS.accessToken}` },
  );
  expect(response.status).toBe(200);
  return at(response.body, "messages", 0, "id") as string;
}

async function sendZapi(path: string, body: unknown): Promise<string> {
  const { instanceId, token, clientToken } = DEFAULT_ZAPI_CREDENTIALS;
  const response = await postJson(
    `${sim.zapi.baseUrl}/instances/${instanceId}/token/${token}/${path}`,
    body,
    { "client-token": clientToken },
  );
  expect(response.status).toBe(200);
  return at(response.body, "messageId") as string;
}

async function sendZapper(): Promise<string> {
  const { instanceId, apiKey } = DEFAULT_ZAPPER_CREDENTIALS;
  const response = await postJson(
    `${sim.zapper.baseUrl}/${instanceId}/messages/buttons`,
    {
      jid: "5511988887777",
      body: "Confirm?",
      buttons: [
        { type: "reply", displayText: "Yes", id: "yes" },
        { type: "url", displayText: "Site", id: "site", url: "https://example.com" },
      ],
    },
    { "x-api-key": apiKey },
  );
  expect(response.status).toBe(200);
  return at(response.body, "key", "id") as string;
}

// ---------------------------------------------------------------------------------------

describe("the simulators remember the messages they delivered", () => {
  it("records recipient and reply buttons of each processed send, until reset()", async () => {
    const wamid = await sendWhatsApp();
    expect(sim.whatsapp.sentMessage(wamid)).toMatchObject({
      messageId: wamid,
      recipient: "5511999999999",
      buttons: [
        { id: "yes", title: "Yes" },
        { id: "no", title: "No, thanks" },
      ],
    });
    const zapper = await sendZapper();
    expect(sim.zapper.sentMessage(zapper)).toMatchObject({
      recipient: "5511988887777@s.whatsapp.net",
      // The url button posts no reply.
      buttons: [{ id: "yes", title: "Yes" }],
    });
    sim.whatsapp.clear();
    expect(sim.whatsapp.sentMessage(wamid)).toBeDefined();
    sim.reset();
    expect(sim.whatsapp.sentMessage(wamid)).toBeUndefined();
    expect(sim.whatsapp.sentMessages()).toEqual([]);
  });

  it("does not record a send answered with an injected error", async () => {
    sim.whatsapp.failNext({ status: 500 });
    await postJson(
      `${sim.whatsapp.baseUrl}/v23.0/${DEFAULT_WHATSAPP_CREDENTIALS.phoneNumberId}/messages`,
      {
        messaging_product: "whatsapp",
        to: "5511999999999",
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Confirm?" },
          action: { buttons: [{ type: "reply", reply: { id: "yes", title: "Yes" } }] },
        },
      },
      { authorization: `Bearer ${DEFAULT_WHATSAPP_CREDENTIALS.accessToken}` },
    );
    expect(sim.whatsapp.sentMessages()).toEqual([]);
  });

  it("keeps only the maxRecorded most recent messages", async () => {
    const bounded = await startProviderSimulator({ maxRecorded: 2 });
    try {
      const ids: string[] = [];
      for (const to of ["5511000000001", "5511000000002", "5511000000003"]) {
        const response = await postJson(
          `${bounded.whatsapp.baseUrl}/v23.0/${DEFAULT_WHATSAPP_CREDENTIALS.phoneNumberId}/messages`,
          {
            messaging_product: "whatsapp",
            to,
            type: "interactive",
            interactive: {
              type: "button",
              body: { text: "Hi" },
              action: { buttons: [{ type: "reply", reply: { id: "a", title: "A" } }] },
            },
          },
          { authorization: `Bearer ${DEFAULT_WHATSAPP_CREDENTIALS.accessToken}` },
        );
        ids.push(at(response.body, "messages", 0, "id") as string);
      }
      expect(bounded.whatsapp.sentMessages().map((message) => message.messageId)).toEqual(
        ids.slice(1),
      );
    } finally {
      await bounded.close();
    }
  });
});

describe("WhatsApp Cloud API webhooks", () => {
  it("tap: Meta's button_reply body, signed over the raw bytes with the app secret", async () => {
    const wamid = await sendWhatsApp();
    receiver.answer(202);
    const when = new Date("2026-03-01T12:00:00Z");

    const delivery = await sim.whatsapp.webhooks.tap({
      url: `${receiver.url}/webhooks/meta-main`,
      appSecret: APP_SECRET,
      messageId: wamid,
      buttonId: "no",
      at: when,
    });

    expect(delivery.status).toBe(202);
    expect(delivery.responseBody).toBe("received 202");
    const request = last();
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/webhooks/meta-main");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.text).toBe(delivery.rawBody);
    expect(metaVerifies(APP_SECRET, request.raw, request.headers["x-hub-signature-256"])).toBe(
      true,
    );
    expect(
      metaVerifies("another secret", request.raw, request.headers["x-hub-signature-256"]),
    ).toBe(false);
    expect(request.json).toEqual({
      object: "whatsapp_business_account",
      entry: [
        {
          id: expect.any(String),
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: {
                  display_phone_number: expect.stringMatching(/^\d+$/),
                  phone_number_id: DEFAULT_WHATSAPP_CREDENTIALS.phoneNumberId,
                },
                contacts: [{ profile: { name: "Simulated User" }, wa_id: "5511999999999" }],
                messages: [
                  {
                    context: { from: expect.stringMatching(/^\d+$/), id: wamid },
                    from: "5511999999999",
                    id: expect.stringMatching(/^wamid\./),
                    timestamp: String(when.getTime() / 1000),
                    type: "interactive",
                    interactive: {
                      type: "button_reply",
                      button_reply: { id: "no", title: "No, thanks" },
                    },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
  });

  it("tap in the template quick-reply shape", async () => {
    const wamid = await sendWhatsApp();
    await sim.whatsapp.webhooks.tap({
      url: receiver.url,
      appSecret: APP_SECRET,
      messageId: wamid,
      buttonId: "yes",
      shape: "template",
      from: "BR.1502576394655843",
    });
    const message = at(last().json, "entry", 0, "changes", 0, "value", "messages", 0);
    expect(message).toMatchObject({
      context: { id: wamid },
      from: "BR.1502576394655843",
      type: "button",
      button: { payload: "yes", text: "Yes" },
    });
    expect(at(message, "interactive")).toBeUndefined();
  });

  it("statuses: delivered, read, and failed with Meta's error", async () => {
    const wamid = await sendWhatsApp();
    const url = receiver.url;
    for (const status of ["sent", "delivered", "read"] as const) {
      await sim.whatsapp.webhooks.status({ url, appSecret: APP_SECRET, messageId: wamid, status });
      const request = last();
      expect(metaVerifies(APP_SECRET, request.raw, request.headers["x-hub-signature-256"])).toBe(
        true,
      );
      expect(at(request.json, "entry", 0, "changes", 0, "value", "statuses")).toEqual([
        {
          id: wamid,
          status,
          timestamp: expect.stringMatching(/^\d+$/),
          recipient_id: "5511999999999",
        },
      ]);
    }
    await sim.whatsapp.webhooks.status({
      url,
      appSecret: APP_SECRET,
      messageId: wamid,
      status: "failed",
      error: { code: 131047, title: "Re-engagement message" },
    });
    expect(at(last().json, "entry", 0, "changes", 0, "value", "statuses", 0)).toMatchObject({
      id: wamid,
      status: "failed",
      errors: [
        {
          code: 131047,
          title: "Re-engagement message",
          message: "Re-engagement message",
          error_data: { details: expect.any(String) },
        },
      ],
    });
    await sim.whatsapp.webhooks.status({
      url,
      appSecret: APP_SECRET,
      messageId: wamid,
      status: "failed",
    });
    expect(
      at(last().json, "entry", 0, "changes", 0, "value", "statuses", 0, "errors", 0, "code"),
    ).toBe(131026);
  });

  it("refuses what it cannot fill in, posting nothing", async () => {
    const wamid = await sendWhatsApp();
    const url = receiver.url;
    await expect(
      sim.whatsapp.webhooks.tap({
        url,
        appSecret: APP_SECRET,
        messageId: "wamid.unknown",
        buttonId: "yes",
      }),
    ).rejects.toThrow(/give `from`/);
    await expect(
      sim.whatsapp.webhooks.tap({
        url,
        appSecret: APP_SECRET,
        messageId: wamid,
        buttonId: "maybe",
      }),
    ).rejects.toThrow(/has no button "maybe".*"yes", "no"/);
    await expect(
      sim.whatsapp.webhooks.status({
        url,
        appSecret: APP_SECRET,
        messageId: wamid,
        status: "read",
        error: { code: 1, title: "x" },
      }),
    ).rejects.toThrow(/"failed"/);
    expect(receiver.arrived).toHaveLength(0);

    // Given everything, a message it never sent can be tapped too.
    await sim.whatsapp.webhooks.tap({
      url,
      appSecret: APP_SECRET,
      messageId: "wamid.unknown",
      buttonId: "maybe",
      buttonTitle: "Maybe",
      from: "5511911112222",
    });
    expect(at(last().json, "entry", 0, "changes", 0, "value", "messages", 0, "context", "id")).toBe(
      "wamid.unknown",
    );
  });

  it("redeliver posts the identical bytes and signature again", async () => {
    const wamid = await sendWhatsApp();
    const first = await sim.whatsapp.webhooks.tap({
      url: receiver.url,
      appSecret: APP_SECRET,
      messageId: wamid,
      buttonId: "yes",
    });
    receiver.answer(500);
    const again = await sim.whatsapp.webhooks.redeliver(first);
    const third = await redeliverWebhook(again);

    expect(again.status).toBe(500);
    expect(third.status).toBe(200);
    const [a, b, c] = receiver.arrived;
    expect(b?.raw.equals(a?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(c?.raw.equals(a?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(b?.headers["x-hub-signature-256"]).toBe(a?.headers["x-hub-signature-256"]);
    expect(
      metaVerifies(APP_SECRET, c?.raw ?? Buffer.alloc(0), c?.headers["x-hub-signature-256"]),
    ).toBe(true);
  });

  it("post signs any body, several items included", async () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [{ id: "1", changes: [{ field: "messages", value: { statuses: [{}, {}] } }] }],
    };
    const delivery = await sim.whatsapp.webhooks.post({
      url: receiver.url,
      appSecret: APP_SECRET,
      body,
    });
    expect(last().json).toEqual(body);
    expect(metaVerifies(APP_SECRET, last().raw, last().headers["x-hub-signature-256"])).toBe(true);
    expect(delivery.body).toEqual(body);
  });

  it("rejects when nobody answers", async () => {
    const closed = await startReceiver();
    await closed.close();
    await expect(
      sim.whatsapp.webhooks.post({ url: closed.url, appSecret: APP_SECRET, body: {} }),
    ).rejects.toThrow();
  });
});

describe("Z-API webhooks", () => {
  it("tap: a ReceivedCallback with buttonsResponseMessage, to the URL with its secret, unsigned", async () => {
    const messageId = await sendZapi("send-button-list", {
      phone: "5511977776666",
      message: "Confirm?",
      buttonList: { buttons: [{ id: "yes", label: "Yes" }, { label: "No" }] },
    });
    const when = new Date("2026-03-01T12:00:00.123Z");

    const delivery = await sim.zapi.webhooks.tap({
      url: `${receiver.url}/webhooks/zapi-main/s3cr3t-path-segment`,
      messageId,
      buttonId: "yes",
      at: when,
    });

    expect(delivery.status).toBe(200);
    const request = last();
    expect(request.path).toBe("/webhooks/zapi-main/s3cr3t-path-segment");
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.json).toMatchObject({
      type: "ReceivedCallback",
      instanceId: DEFAULT_ZAPI_CREDENTIALS.instanceId,
      messageId: expect.stringMatching(/^[0-9A-F]{32}$/),
      phone: "5511977776666",
      fromMe: false,
      momment: when.getTime(),
      status: "RECEIVED",
      isGroup: false,
      referenceMessageId: messageId,
      buttonsResponseMessage: { buttonId: "yes", message: "Yes" },
    });

    // A button sent without id answers with its position (the simulator's guess).
    await sim.zapi.webhooks.tap({ url: receiver.url, messageId, buttonId: "2" });
    expect(at(last().json, "buttonsResponseMessage")).toEqual({ buttonId: "2", message: "No" });
  });

  it("only REPLY button actions can be tapped", async () => {
    const messageId = await sendZapi("send-button-actions", {
      phone: "5511977776666",
      message: "Confirm?",
      buttonActions: [
        { id: "ok", type: "REPLY", label: "OK" },
        { id: "site", type: "URL", label: "Site", url: "https://example.com" },
      ],
    });
    await expect(
      sim.zapi.webhooks.tap({ url: receiver.url, messageId, buttonId: "site" }),
    ).rejects.toThrow(/no button "site"/);
    await sim.zapi.webhooks.tap({ url: receiver.url, messageId, buttonId: "ok" });
    expect(at(last().json, "buttonsResponseMessage")).toEqual({ buttonId: "ok", message: "OK" });
  });

  it("statuses: MessageStatusCallback with Z-API's names, and no failure status", async () => {
    const messageId = await sendZapi("send-button-list", {
      phone: "5511977776666",
      message: "Confirm?",
      buttonList: { buttons: [{ id: "yes", label: "Yes" }] },
    });
    const expected = {
      sent: "SENT",
      delivered: "RECEIVED",
      read: "READ",
      played: "PLAYED",
    } as const;
    for (const [status, name] of Object.entries(expected)) {
      await sim.zapi.webhooks.status({
        url: receiver.url,
        messageId,
        status: status as keyof typeof expected,
      });
      expect(last().json).toEqual({
        instanceId: DEFAULT_ZAPI_CREDENTIALS.instanceId,
        status: name,
        ids: [messageId],
        momment: expect.any(Number),
        phoneDevice: 0,
        phone: "5511977776666",
        type: "MessageStatusCallback",
        isGroup: false,
      });
    }
    await sim.zapi.webhooks.status({
      url: receiver.url,
      messageId: [messageId, "OTHER"],
      status: "read",
    });
    expect(at(last().json, "ids")).toEqual([messageId, "OTHER"]);

    const count = receiver.arrived.length;
    await expect(
      sim.zapi.webhooks.status({
        url: receiver.url,
        messageId,
        status: "failed" as unknown as "read",
      }),
    ).rejects.toThrow(/Z-API has no failure status/);
    expect(receiver.arrived).toHaveLength(count);
  });

  it("delivery: a DeliveryCallback (handed to WhatsApp)", async () => {
    const messageId = await sendZapi("send-button-list", {
      phone: "5511977776666",
      message: "Confirm?",
      buttonList: { buttons: [{ id: "yes", label: "Yes" }] },
    });
    await sim.zapi.webhooks.delivery({ url: receiver.url, messageId });
    expect(last().json).toEqual({
      phone: "5511977776666",
      zaapId: expect.stringMatching(/^[0-9A-F]{32}$/),
      messageId,
      type: "DeliveryCallback",
      instanceId: DEFAULT_ZAPI_CREDENTIALS.instanceId,
      momment: expect.any(Number),
    });
  });

  it("redeliver posts the identical bytes again", async () => {
    const messageId = await sendZapi("send-button-list", {
      phone: "5511977776666",
      message: "Confirm?",
      buttonList: { buttons: [{ id: "yes", label: "Yes" }] },
    });
    const first = await sim.zapi.webhooks.tap({
      url: `${receiver.url}/s`,
      messageId,
      buttonId: "yes",
    });
    const second = await sim.zapi.webhooks.redeliver(first);
    expect(second.rawBody).toBe(first.rawBody);
    expect(receiver.arrived.map((request) => request.text)).toEqual([first.rawBody, first.rawBody]);
    expect(receiver.arrived.map((request) => request.path)).toEqual(["/s", "/s"]);
  });
});

describe("ZapperAPI webhooks", () => {
  it("tap: messages.upsert with a native-flow response, Bearer secret", async () => {
    const messageId = await sendZapper();
    const when = new Date("2026-03-01T12:00:00Z");

    await sim.zapper.webhooks.tap({
      url: `${receiver.url}/webhooks/zapper-main`,
      secret: "zapper-webhook-secret",
      messageId,
      buttonId: "yes",
      at: when,
    });

    const request = last();
    expect(request.headers.authorization).toBe("Bearer zapper-webhook-secret");
    expect(request.json).toEqual({
      type: "messages.upsert",
      instanceId: DEFAULT_ZAPPER_CREDENTIALS.instanceId,
      key: {
        remoteJid: "5511988887777@s.whatsapp.net",
        fromMe: false,
        id: expect.stringMatching(/^3EB0[0-9A-F]{18}$/),
      },
      pushName: "Simulated User",
      messageTimestamp: when.getTime() / 1000,
      message: {
        interactiveResponseMessage: {
          body: { text: "Yes", format: "DEFAULT" },
          nativeFlowResponseMessage: {
            name: "quick_reply",
            paramsJson: expect.any(String),
            version: 3,
          },
          contextInfo: { stanzaId: messageId },
        },
      },
    });
    const paramsJson = at(
      request.json,
      "message",
      "interactiveResponseMessage",
      "nativeFlowResponseMessage",
      "paramsJson",
    ) as string;
    expect(JSON.parse(paramsJson)).toEqual({ id: "yes" });
  });

  it("tap in the legacy buttons and template shapes; no secret, no Authorization", async () => {
    const messageId = await sendZapper();
    await sim.zapper.webhooks.tap({
      url: receiver.url,
      messageId,
      buttonId: "yes",
      shape: "buttons_response",
    });
    expect(last().headers.authorization).toBeUndefined();
    expect(at(last().json, "message")).toEqual({
      buttonsResponseMessage: {
        selectedButtonId: "yes",
        selectedDisplayText: "Yes",
        type: 1,
        contextInfo: { stanzaId: messageId },
      },
    });
    await sim.zapper.webhooks.tap({
      url: receiver.url,
      messageId,
      buttonId: "yes",
      shape: "template_button_reply",
    });
    expect(at(last().json, "message", "templateButtonReplyMessage")).toMatchObject({
      selectedId: "yes",
      selectedDisplayText: "Yes",
      contextInfo: { stanzaId: messageId },
    });
  });

  it("statuses: messages.update with Baileys' numeric status", async () => {
    const messageId = await sendZapper();
    const expected = { failed: 0, sent: 2, delivered: 3, read: 4, played: 5 } as const;
    for (const [status, code] of Object.entries(expected)) {
      await sim.zapper.webhooks.status({
        url: receiver.url,
        secret: "s",
        messageId,
        status: status as keyof typeof expected,
      });
      expect(last().json).toEqual({
        type: "messages.update",
        instanceId: DEFAULT_ZAPPER_CREDENTIALS.instanceId,
        key: { remoteJid: "5511988887777@s.whatsapp.net", fromMe: true, id: messageId },
        update: { status: code },
      });
      expect(last().headers.authorization).toBe("Bearer s");
    }
  });

  it("redeliver posts the identical bytes and Authorization again", async () => {
    const messageId = await sendZapper();
    const first = await sim.zapper.webhooks.status({
      url: receiver.url,
      secret: "s",
      messageId,
      status: "read",
    });
    await sim.zapper.webhooks.redeliver(first);
    const [a, b] = receiver.arrived;
    expect(b?.text).toBe(a?.text);
    expect(b?.headers.authorization).toBe("Bearer s");
  });
});

describe("the webhooks over HTTP: POST <baseUrl>/_simulator/webhooks/<action>", () => {
  const control = (base: string, action: string, input: unknown) =>
    postJson(`${base}/_simulator/webhooks/${action}`, input);

  it("tap, then redeliver, through the control routes; neither recorded nor counted", async () => {
    const wamid = await sendWhatsApp();
    const before = sim.whatsapp.counts();

    const tapped = await control(sim.whatsapp.baseUrl, "tap", {
      url: `${receiver.url}/webhooks/meta-main`,
      appSecret: APP_SECRET,
      messageId: wamid,
      buttonId: "yes",
      at: "2026-03-01T12:00:00Z",
    });

    expect(tapped.status).toBe(200);
    expect(tapped.body).toMatchObject({ status: 200, url: `${receiver.url}/webhooks/meta-main` });
    const request = last();
    expect(request.text).toBe(at(tapped.body, "rawBody"));
    expect(metaVerifies(APP_SECRET, request.raw, request.headers["x-hub-signature-256"])).toBe(
      true,
    );
    expect(at(request.json, "entry", 0, "changes", 0, "value", "messages", 0)).toMatchObject({
      timestamp: String(Date.parse("2026-03-01T12:00:00Z") / 1000),
      interactive: { button_reply: { id: "yes", title: "Yes" } },
    });

    const again = await control(sim.whatsapp.baseUrl, "redeliver", tapped.body);
    expect(again.status).toBe(200);
    expect(receiver.arrived).toHaveLength(2);
    expect(receiver.arrived[1]?.raw.equals(request.raw)).toBe(true);
    expect(receiver.arrived[1]?.headers["x-hub-signature-256"]).toBe(
      request.headers["x-hub-signature-256"],
    );
    expect(sim.whatsapp.counts()).toEqual(before);
    expect(sim.whatsapp.received.some((entry) => entry.path.startsWith("/_simulator"))).toBe(false);
  });

  it("Z-API and ZapperAPI statuses through their own simulators", async () => {
    const messageId = await sendZapi("send-button-list", {
      phone: "5511977776666",
      message: "Confirm?",
      buttonList: { buttons: [{ id: "yes", label: "Yes" }] },
    });
    const read = await control(sim.zapi.baseUrl, "status", {
      url: `${receiver.url}/z/secret`,
      messageId,
      status: "read",
    });
    expect(read.status).toBe(200);
    expect(last().json).toMatchObject({
      type: "MessageStatusCallback",
      status: "READ",
      ids: [messageId],
    });

    const failed = await control(sim.zapi.baseUrl, "status", {
      url: receiver.url,
      messageId,
      status: "failed",
    });
    expect(failed.status).toBe(400);
    expect(at(failed.body, "error")).toMatch(/Z-API has no failure status/);

    const zapperId = await sendZapper();
    const delivered = await control(sim.zapper.baseUrl, "status", {
      url: receiver.url,
      secret: "s",
      messageId: zapperId,
      status: "delivered",
    });
    expect(delivered.status).toBe(200);
    expect(last().headers.authorization).toBe("Bearer s");
    expect(at(last().json, "update", "status")).toBe(3);
  });

  it("answers 400 for bad input, 404 for an unknown action, 405 for GET, 502 without a receiver", async () => {
    const base = sim.whatsapp.baseUrl;
    const missing = await control(base, "tap", { url: receiver.url, messageId: "x" });
    expect(missing.status).toBe(400);
    expect(at(missing.body, "error")).toBe("invalid input");
    const notUrl = await control(base, "status", {
      url: "file:///etc/passwd",
      appSecret: "k",
      messageId: "x",
      status: "read",
      recipientId: "1",
    });
    expect(notUrl.status).toBe(400);
    expect((await control(base, "explode", {})).status).toBe(404);
    expect((await fetch(`${base}/_simulator/webhooks/tap`)).status).toBe(405);

    const closed = await startReceiver();
    await closed.close();
    const down = await control(base, "post", { url: closed.url, appSecret: "k", body: {} });
    expect(down.status).toBe(502);
    expect(receiver.arrived).toHaveLength(0);
  });
});
