import type { CommonSimulatorOptions } from "./http-server.js";
import {
  startWhatsAppSimulator,
  type WhatsAppSimulator,
  type WhatsAppSimulatorOptions,
} from "./whatsapp.js";
import { startZapiSimulator, type ZapiSimulator, type ZapiSimulatorOptions } from "./zapi.js";
import {
  startZapperSimulator,
  type ZapperSimulator,
  type ZapperSimulatorOptions,
} from "./zapper.js";

export { CONTROL_PREFIX } from "./control.js";
export type {
  CommonSimulatorOptions,
  ConnectionReset,
  FailNextOptions,
  ProviderSimulator,
  RecordedRequest,
  SentButton,
  SentMessage,
  SimulatedResponse,
  SimulatorCounts,
} from "./http-server.js";
export { DEFAULT_HOST } from "./http-server.js";
export {
  postWebhook,
  redeliverWebhook,
  type WebhookDelivery,
  WebhookInputError,
  type WebhookTarget,
} from "./webhooks.js";
export {
  DEFAULT_WHATSAPP_API_VERSION,
  DEFAULT_WHATSAPP_CREDENTIALS,
  startWhatsAppSimulator,
  type WhatsAppCredentials,
  type WhatsAppSimulator,
  type WhatsAppSimulatorOptions,
} from "./whatsapp.js";
export {
  DEFAULT_WHATSAPP_BUSINESS_ACCOUNT_ID,
  DEFAULT_WHATSAPP_DISPLAY_PHONE_NUMBER,
  metaSignature,
  type WhatsAppPostInput,
  type WhatsAppStatusError,
  type WhatsAppStatusInput,
  type WhatsAppTapInput,
  type WhatsAppWebhookStatus,
  type WhatsAppWebhooks,
} from "./whatsapp-webhooks.js";
export {
  DEFAULT_ZAPI_CREDENTIALS,
  startZapiSimulator,
  type ZapiCredentials,
  type ZapiErrorBody,
  type ZapiSimulator,
  type ZapiSimulatorOptions,
} from "./zapi.js";
export {
  DEFAULT_ZAPI_CONNECTED_PHONE,
  type ZapiDeliveryInput,
  type ZapiPostInput,
  type ZapiStatusInput,
  type ZapiTapInput,
  type ZapiWebhookStatus,
  type ZapiWebhooks,
} from "./zapi-webhooks.js";
export {
  DEFAULT_ZAPPER_CREDENTIALS,
  startZapperSimulator,
  type ZapperButtonsRequest,
  type ZapperCredentials,
  type ZapperErrorBody,
  type ZapperSentMessage,
  type ZapperSimulator,
  type ZapperSimulatorOptions,
} from "./zapper.js";
export type {
  ZapperPostInput,
  ZapperStatusInput,
  ZapperTapInput,
  ZapperTapShape,
  ZapperWebhookStatus,
  ZapperWebhooks,
} from "./zapper-webhooks.js";

export interface ProviderSimulatorOptions {
  /** Shared by all three servers unless a provider's own options say otherwise. */
  readonly host?: string;
  readonly latencyMs?: number;
  readonly maxRecorded?: number;
  readonly whatsapp?: WhatsAppSimulatorOptions;
  readonly zapi?: ZapiSimulatorOptions;
  readonly zapper?: ZapperSimulatorOptions;
}

export interface ProviderSimulatorSet {
  readonly whatsapp: WhatsAppSimulator;
  readonly zapi: ZapiSimulator;
  readonly zapper: ZapperSimulator;
  /** Resets all three simulators. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts the WhatsApp Cloud API, Z-API and ZapperAPI simulators side by side. */
export async function startProviderSimulator(
  options: ProviderSimulatorOptions = {},
): Promise<ProviderSimulatorSet> {
  const shared: CommonSimulatorOptions = {
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
    ...(options.maxRecorded === undefined ? {} : { maxRecorded: options.maxRecorded }),
  };
  const [whatsapp, zapi, zapper] = await Promise.allSettled([
    startWhatsAppSimulator({ ...shared, ...options.whatsapp }),
    startZapiSimulator({ ...shared, ...options.zapi }),
    startZapperSimulator({ ...shared, ...options.zapper }),
  ]);
  if (
    whatsapp.status === "rejected" ||
    zapi.status === "rejected" ||
    zapper.status === "rejected"
  ) {
    // Don't leak the servers that did start when one port was taken.
    const started = [whatsapp, zapi, zapper].flatMap((result) =>
      result.status === "fulfilled" ? [result.value] : [],
    );
    await Promise.all(started.map((simulator) => simulator.close()));
    const failed = [whatsapp, zapi, zapper].find((result) => result.status === "rejected");
    throw failed?.status === "rejected" ? failed.reason : new Error("simulator failed to start");
  }
  const all = [whatsapp.value, zapi.value, zapper.value];
  return {
    whatsapp: whatsapp.value,
    zapi: zapi.value,
    zapper: zapper.value,
    reset() {
      for (const simulator of all) simulator.reset();
    },
    async close() {
      await Promise.all(all.map((simulator) => simulator.close()));
    },
  };
}
