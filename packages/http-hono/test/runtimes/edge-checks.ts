import type { ProviderSimulatorSet } from "@replykit/provider-simulator";
import { expect, it } from "vitest";
import {
  DEMO_AGENT_ID,
  DEMO_API_KEY,
  DEMO_CONNECTIONS,
  DEMO_CONVERSATIONS,
  DEMO_WEBHOOK_SECRETS,
} from "../../src/demo/demo-config.js";

/** A server running the edge app on the demo configuration, and the simulators it sends to. */
export interface EdgeTarget {
  /** The server's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly simulators: ProviderSimulatorSet;
}

type Provider = keyof typeof DEMO_CONVERSATIONS;

interface Sent {
  readonly messageId: string;
  readonly provider: string;
  readonly providerMessageId: string;
  readonly status: string;
}

/**
 * The end-to-end checks every runtime passes over real HTTP: a send through each provider's
 * simulator, the contract's 131009 for a 4th button, and inbound webhooks (Meta's signed with
 * HMAC-SHA256, Z-API's secret path, ZapperAPI's Bearer secret) recorded on the message.
 * `runtime` only names the runtime in the texts sent; `target` is read when a test runs.
 */
export function edgeChecks(runtime: string, target: () => EdgeTarget): void {
  const send = async (provider: Provider, extra: Record<string, string> = {}) =>
    fetch(new URL("/messages/interactive/send-buttons", target().url), {
      method: "POST",
      headers: { authorization: `Bearer ${DEMO_API_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({
        agentId: DEMO_AGENT_ID,
        conversationId: DEMO_CONVERSATIONS[provider],
        body_text: `Sent from ${runtime} to ${provider}`,
        button_1_id: "yes",
        button_1_title: "Yes",
        button_2_id: "no",
        button_2_title: "No",
        ...extra,
      }),
    });

  const sent = async (provider: Provider): Promise<Sent> => {
    const response = await send(provider);
    expect(response.status).toBe(200);
    return (await response.json()) as Sent;
  };

  const messageState = async (messageId: string) =>
    (await (
      await fetch(new URL(`/messages/${messageId}`, target().url), {
        headers: { authorization: `Bearer ${DEMO_API_KEY}` },
      })
    ).json()) as { status: string; replies: { buttonId: string }[] };

  const webhookUrl = (path: string) => new URL(`/webhooks/${path}`, target().url);

  it.each(["whatsapp", "zapi", "zapper"] as const)(
    "sends buttons through the %s simulator",
    async (provider) => {
      const response = await send(provider);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ provider, status: "sent" });
      expect(target().simulators[provider].received.at(-1)?.rawBody).toContain(
        `Sent from ${runtime} to ${provider}`,
      );
    },
  );

  it("refuses a 4th button with 400 and 131009, calling no provider", async () => {
    const { simulators } = target();
    const before = simulators.whatsapp.received.length;
    const response = await send("whatsapp", { button_4_id: "x", button_4_title: "X" });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({
      providerCode: 131009,
    });
    expect(simulators.whatsapp.received).toHaveLength(before);
  });

  it("accepts Meta's signed status and tap, refuses them tampered or signed with another secret", async () => {
    const message = await sent("whatsapp");
    const url = webhookUrl(DEMO_CONNECTIONS.whatsapp);
    const appSecret = DEMO_WEBHOOK_SECRETS.whatsappAppSecret;
    const { whatsapp } = target().simulators;
    const input = { url, appSecret, messageId: message.providerMessageId };
    expect((await whatsapp.webhooks.status({ ...input, status: "read" })).status).toBe(200);
    const tap = await whatsapp.webhooks.tap({ ...input, buttonId: "yes" });
    expect(tap.status).toBe(200);
    expect(JSON.parse(tap.responseBody)).toEqual({ received: 1, duplicates: 0 });
    const tampered = await fetch(url, {
      method: "POST",
      headers: tap.headers,
      body: tap.rawBody.replace('"yes"', '"no"'),
    });
    expect(tampered.status).toBe(401);
    const otherSecret = await whatsapp.webhooks.tap({
      ...input,
      appSecret: "not-the-app-secret-at-all",
      buttonId: "no",
    });
    expect(otherSecret.status).toBe(401);
    expect(await messageState(message.messageId)).toMatchObject({
      status: "read",
      replies: [{ buttonId: "yes" }],
    });
  });

  it("accepts Z-API's and ZapperAPI's taps with their secrets", async () => {
    const { zapi, zapper } = target().simulators;
    const toZapi = await sent("zapi");
    const zapiTap = await zapi.webhooks.tap({
      url: webhookUrl(`${DEMO_CONNECTIONS.zapi}/${DEMO_WEBHOOK_SECRETS.zapi}`),
      messageId: toZapi.providerMessageId,
      buttonId: "no",
    });
    expect(zapiTap.status).toBe(200);
    const toZapper = await sent("zapper");
    const zapperTap = await zapper.webhooks.tap({
      url: webhookUrl(DEMO_CONNECTIONS.zapper),
      secret: DEMO_WEBHOOK_SECRETS.zapper,
      messageId: toZapper.providerMessageId,
      buttonId: "yes",
    });
    expect(zapperTap.status).toBe(200);
    expect(await messageState(toZapi.messageId)).toMatchObject({ replies: [{ buttonId: "no" }] });
    expect(await messageState(toZapper.messageId)).toMatchObject({
      replies: [{ buttonId: "yes" }],
    });
  });
}
