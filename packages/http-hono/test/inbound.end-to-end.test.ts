import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_AGENT_ID,
  DEMO_API_KEY,
  DEMO_CONNECTIONS,
  DEMO_CONVERSATIONS,
  DEMO_ORGANIZATION_ID,
  DEMO_WEBHOOK_SECRETS,
} from "../src/demo/demo-config.js";
import { startComposedServer } from "./support.js";

const forwarded: { headers: IncomingHttpHeaders; body: { type: string; data: unknown } }[] = [];
let receiver: Server;
let receiverUrl: string;
let server: Awaited<ReturnType<typeof startComposedServer>>;

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => {
      forwarded.push({ headers: request.headers, body: JSON.parse(text) });
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/replykit-events`;
  server = await startComposedServer((config) => ({
    ...config,
    organizations: config.organizations.map((organization) =>
      organization.id === DEMO_ORGANIZATION_ID
        ? { ...organization, webhook: { url: receiverUrl, secret: "forwarding-secret-0123456789" } }
        : organization,
    ),
  }));
});

afterAll(async () => {
  await server.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

async function send(conversationId: string) {
  const response = await fetch(`${server.url}/messages/interactive/send-buttons`, {
    method: "POST",
    headers: { authorization: `Bearer ${DEMO_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({
      agentId: DEMO_AGENT_ID,
      conversationId,
      body_text: "Did your order arrive?",
      button_1_id: "yes",
      button_1_title: "Yes",
      button_2_id: "no",
      button_2_title: "No",
    }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { messageId: string; providerMessageId: string };
}

const messageState = async (messageId: string) =>
  (await fetch(`${server.url}/messages/${messageId}`, {
    headers: { authorization: `Bearer ${DEMO_API_KEY}` },
  }).then((response) => response.json())) as {
    status: string;
    replies: { buttonId: string }[];
  };

const until = async (check: () => boolean) => {
  for (let attempt = 0; attempt < 100 && !check(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe("the inbound round trip through the server, for each provider", () => {
  it("WhatsApp: send, a signed status and tap, forwarded and shown by GET /messages/{id}", async () => {
    const sent = await send(DEMO_CONVERSATIONS.whatsapp);
    const url = `${server.url}/webhooks/${DEMO_CONNECTIONS.whatsapp}`;
    const appSecret = DEMO_WEBHOOK_SECRETS.whatsappAppSecret;
    const { whatsapp } = server.simulators;
    expect(
      (
        await whatsapp.webhooks.status({
          url,
          appSecret,
          messageId: sent.providerMessageId,
          status: "read",
        })
      ).status,
    ).toBe(200);
    const tap = await whatsapp.webhooks.tap({
      url,
      appSecret,
      messageId: sent.providerMessageId,
      buttonId: "yes",
    });
    expect(tap.status).toBe(200);
    // A redelivery is acknowledged and handed over no second time.
    expect(
      await (await fetch(url, { method: "POST", headers: tap.headers, body: tap.rawBody })).json(),
    ).toEqual({
      received: 0,
      duplicates: 1,
    });
    // A tampered one is refused.
    const tampered = await fetch(url, {
      method: "POST",
      headers: tap.headers,
      body: tap.rawBody.replace('"yes"', '"no"'),
    });
    expect(tampered.status).toBe(401);

    expect(await messageState(sent.messageId)).toMatchObject({
      status: "read",
      replies: [{ buttonId: "yes" }],
    });
    await until(() => forwarded.some((item) => item.body.type === "message.button_reply"));
    const reply = forwarded.find((item) => item.body.type === "message.button_reply");
    expect(reply?.body.data).toMatchObject({
      buttonId: "yes",
      replyTo: { messageId: sent.messageId, matchedBy: "provider_message_id" },
    });
    expect(reply?.headers["webhook-signature"]).toMatch(/^v1,/);
  });

  it("Z-API: a tap and a status posted to the URL with the secret", async () => {
    const sent = await send(DEMO_CONVERSATIONS.zapi);
    const url = `${server.url}/webhooks/${DEMO_CONNECTIONS.zapi}/${DEMO_WEBHOOK_SECRETS.zapi}`;
    const { zapi } = server.simulators;
    expect(
      (await zapi.webhooks.status({ url, messageId: sent.providerMessageId, status: "delivered" }))
        .status,
    ).toBe(200);
    expect(
      (await zapi.webhooks.tap({ url, messageId: sent.providerMessageId, buttonId: "no" })).status,
    ).toBe(200);
    expect(await messageState(sent.messageId)).toMatchObject({
      status: "delivered",
      replies: [{ buttonId: "no" }],
    });
    const wrongSecret = await zapi.webhooks.tap({
      url: `${server.url}/webhooks/${DEMO_CONNECTIONS.zapi}/not-the-secret-at-all`,
      messageId: sent.providerMessageId,
      buttonId: "no",
    });
    expect(wrongSecret.status).toBe(401);
  });

  it("ZapperAPI: a native-flow tap and a status with the Bearer secret", async () => {
    const sent = await send(DEMO_CONVERSATIONS.zapper);
    const url = `${server.url}/webhooks/${DEMO_CONNECTIONS.zapper}`;
    const secret = DEMO_WEBHOOK_SECRETS.zapper;
    const { zapper } = server.simulators;
    expect(
      (
        await zapper.webhooks.status({
          url,
          secret,
          messageId: sent.providerMessageId,
          status: "read",
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await zapper.webhooks.tap({
          url,
          secret,
          messageId: sent.providerMessageId,
          buttonId: "yes",
        })
      ).status,
    ).toBe(200);
    expect(await messageState(sent.messageId)).toMatchObject({
      status: "read",
      replies: [{ buttonId: "yes" }],
    });
  });
});
