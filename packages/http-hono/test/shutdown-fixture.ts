import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashApiKey } from "@replykit/http-app";
import {
  startWhatsAppSimulator,
  type WhatsAppSimulatorOptions,
} from "@replykit/provider-simulator";

export const API_KEY = "rk_live_shutdown_test_key_0123";
export const TOKEN_VARIABLE = "SHUTDOWN_TEST_WHATSAPP_TOKEN";
/** The connection's Meta app secret: what its status and tap webhooks are signed with. */
export const APP_SECRET = "fixture-app-secret-0123456789abcdef";

/**
 * A WhatsApp simulator and a configuration file whose one conversation (`c-1`, agent
 * `ana`) is sent through it; `env` is what the server needs to read that file.
 */
export async function slowProviderSetup(
  options: WhatsAppSimulatorOptions = {},
  /** More of the configuration file: `store`, `delivery`… */
  extraConfig: Record<string, unknown> = {},
) {
  const simulator = await startWhatsAppSimulator(options);
  const folder = await mkdtemp(join(tmpdir(), "replykit-shutdown-"));
  const path = join(folder, "replykit.json");
  await writeFile(
    path,
    JSON.stringify({
      organizations: [{ id: "acme" }],
      apiKeys: [{ id: "acme-key", organizationId: "acme", sha256: await hashApiKey(API_KEY) }],
      agents: [{ id: "ana", organizationId: "acme" }],
      channelConnections: [
        {
          id: "acme-wa",
          organizationId: "acme",
          provider: "whatsapp",
          baseUrl: simulator.baseUrl,
          phoneNumberId: simulator.credentials.phoneNumberId,
          accessToken: `env:${TOKEN_VARIABLE}`,
          appSecret: APP_SECRET,
        },
      ],
      conversations: [
        {
          id: "c-1",
          organizationId: "acme",
          channelConnectionId: "acme-wa",
          recipient: "5511999990000",
        },
      ],
      ...extraConfig,
    }),
  );
  return {
    simulator,
    folder,
    env: { REPLYKIT_CONFIG: path, [TOKEN_VARIABLE]: simulator.credentials.accessToken },
    async cleanUp() {
      await simulator.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** What became of one send: the status and body the server answered, or the error that cut it. */
export type SendFate =
  | { readonly status: number; readonly body: unknown }
  | { readonly error: string };

/** POSTs one send-buttons request with an `Idempotency-Key`; never rejects. */
export async function sendWithKey(url: string, key: string): Promise<SendFate> {
  try {
    const response = await fetch(`${url}/messages/interactive/send-buttons`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${API_KEY}`,
        "content-type": "application/json",
        "idempotency-key": key,
      },
      body: JSON.stringify({
        agentId: "ana",
        conversationId: "c-1",
        body_text: "Did your order arrive?",
        button_1_id: "yes",
        button_1_title: "Yes",
      }),
    });
    return { status: response.status, body: await response.json() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
