import {
  type ChannelCapabilities,
  defineChannelDriver,
  WHATSAPP_CLOUD_LIMITS,
} from "@replykit/core";
import {
  createHttpChannel,
  type HttpChannelOptions,
  type HttpDriverEnv,
  httpChannelFactory,
} from "@replykit/http-transport";
import { readAnswer, WHATSAPP_PROVIDER } from "./answer.js";
import { whatsappInbound } from "./inbound.js";
import { optionsSchema } from "./options.js";
import { toRequestBody } from "./wire.js";

/**
 * The Cloud API is Meta's official API: reply buttons render natively on every WhatsApp
 * client, header and footer included, within Meta's own limits (which are the domain's).
 */
export const WHATSAPP_CAPABILITIES: ChannelCapabilities = Object.freeze({
  maxButtons: 3,
  limits: WHATSAPP_CLOUD_LIMITS,
  header: true,
  footer: true,
  buttonRendering: "native",
});

/**
 * Meta's WhatsApp Cloud API: `POST {baseUrl}/{apiVersion}/{phoneNumberId}/messages`, with
 * `Authorization: Bearer <accessToken>`. A channel's `send` rejects with `ProviderRejected`
 * or `ProviderUnavailable` alone. Its webhooks (taps and statuses, signed with the app secret)
 * are read by `inbound`.
 */
export const whatsappDriver = defineChannelDriver({
  provider: WHATSAPP_PROVIDER,
  options: optionsSchema,
  capabilities: () => WHATSAPP_CAPABILITIES,
  create: (options, env: HttpDriverEnv) =>
    createHttpChannel({
      provider: WHATSAPP_PROVIDER,
      capabilities: WHATSAPP_CAPABILITIES,
      url: `${options.baseUrl}/${options.apiVersion}/${encodeURIComponent(options.phoneNumberId)}/messages`,
      headers: { authorization: `Bearer ${options.accessToken}` },
      timeoutMs: options.timeoutMs,
      transport: env.transport,
      secrets: [options.accessToken],
      toRequestBody,
      readAnswer,
    }),
  inbound: whatsappInbound,
});

export type WhatsAppChannelOptions = HttpChannelOptions<typeof optionsSchema>;

/**
 * A WhatsApp Cloud API channel, for code that wires channels by hand. Throws only here, for
 * invalid options, listing every problem.
 */
export const createWhatsAppChannel = httpChannelFactory("createWhatsAppChannel", whatsappDriver);
