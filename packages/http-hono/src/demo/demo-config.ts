import { hashApiKey } from "@replykit/http-app";
import type { ServerConfig } from "../config/schema.js";

/** Printed at start and used in the README's curl examples; accepted by the demo only. */
export const DEMO_API_KEY = "rk_demo_4f1d2c9e8b7a6d5c4b3a2f1e0d9c8b7a";
export const DEMO_ORGANIZATION_ID = "demo-org";
export const DEMO_AGENT_ID = "agent-demo";
/** An agent of another organization: sending as it answers 403. */
export const OTHER_AGENT_ID = "agent-other-org";
/** The demo connections' inbound secrets: the simulator signs its webhooks with them. */
export const DEMO_WEBHOOK_SECRETS = {
  whatsappAppSecret: "demo-meta-app-secret-0123456789",
  whatsappVerifyToken: "demo-verify-token",
  zapi: "demo-zapi-webhook-secret-0123",
  zapper: "demo-zapper-webhook-secret-01",
} as const;
export const DEMO_CONNECTIONS = {
  whatsapp: "demo-whatsapp",
  zapi: "demo-zapi",
  zapper: "demo-zapper",
} as const;
export const DEMO_CONVERSATIONS = {
  whatsapp: "conv-whatsapp",
  zapi: "conv-zapi",
  zapper: "conv-zapper",
} as const;

export interface DemoProviders {
  readonly whatsapp: {
    readonly baseUrl: string;
    readonly credentials: { readonly accessToken: string; readonly phoneNumberId: string };
  };
  readonly zapi: {
    readonly baseUrl: string;
    readonly credentials: {
      readonly instanceId: string;
      readonly token: string;
      readonly clientToken: string;
    };
  };
  readonly zapper: {
    readonly baseUrl: string;
    readonly credentials: { readonly instanceId: string; readonly apiKey: string };
  };
}

/**
 * The embedded default: one organization with one agent and a conversation on each
 * provider, every channel connection pointing at the in-process provider simulator.
 */
export async function demoConfig(providers: DemoProviders): Promise<ServerConfig> {
  return {
    organizations: [
      { id: DEMO_ORGANIZATION_ID, name: "Demo" },
      { id: "other-org", name: "Another organization" },
    ],
    apiKeys: [
      {
        id: "demo-key",
        organizationId: DEMO_ORGANIZATION_ID,
        sha256: await hashApiKey(DEMO_API_KEY),
      },
    ],
    agents: [
      { id: DEMO_AGENT_ID, organizationId: DEMO_ORGANIZATION_ID },
      { id: OTHER_AGENT_ID, organizationId: "other-org" },
    ],
    channelConnections: [
      {
        id: "demo-whatsapp",
        organizationId: DEMO_ORGANIZATION_ID,
        provider: "whatsapp",
        baseUrl: providers.whatsapp.baseUrl,
        accessToken: providers.whatsapp.credentials.accessToken,
        phoneNumberId: providers.whatsapp.credentials.phoneNumberId,
        appSecret: DEMO_WEBHOOK_SECRETS.whatsappAppSecret,
        verifyToken: DEMO_WEBHOOK_SECRETS.whatsappVerifyToken,
      },
      {
        id: "demo-zapi",
        organizationId: DEMO_ORGANIZATION_ID,
        provider: "zapi",
        baseUrl: providers.zapi.baseUrl,
        instanceId: providers.zapi.credentials.instanceId,
        instanceToken: providers.zapi.credentials.token,
        clientToken: providers.zapi.credentials.clientToken,
        webhookSecret: DEMO_WEBHOOK_SECRETS.zapi,
      },
      {
        id: "demo-zapper",
        organizationId: DEMO_ORGANIZATION_ID,
        provider: "zapper",
        baseUrl: providers.zapper.baseUrl,
        instanceId: providers.zapper.credentials.instanceId,
        apiKey: providers.zapper.credentials.apiKey,
        webhookSecret: DEMO_WEBHOOK_SECRETS.zapper,
      },
    ],
    conversations: [
      {
        id: DEMO_CONVERSATIONS.whatsapp,
        organizationId: DEMO_ORGANIZATION_ID,
        channelConnectionId: "demo-whatsapp",
        recipient: "5511999990001",
      },
      {
        id: DEMO_CONVERSATIONS.zapi,
        organizationId: DEMO_ORGANIZATION_ID,
        channelConnectionId: "demo-zapi",
        recipient: "5511999990002",
      },
      {
        id: DEMO_CONVERSATIONS.zapper,
        organizationId: DEMO_ORGANIZATION_ID,
        channelConnectionId: "demo-zapper",
        recipient: "5511999990003",
      },
    ],
  };
}
