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
import { readAnswer, ZAPPER_PROVIDER } from "./answer.js";
import { zapperInbound } from "./inbound.js";
import { optionsSchema } from "./options.js";
import { toRequestBody } from "./wire.js";

/**
 * What a ZapperAPI channel renders. ZapperAPI drives WhatsApp through the multi-device web
 * protocol: WhatsApp's own limits apply underneath (its openapi sets none), and a message
 * it accepts may still reach some clients without its buttons.
 */
export const ZAPPER_CAPABILITIES: ChannelCapabilities = Object.freeze({
  maxButtons: 3,
  limits: WHATSAPP_CLOUD_LIMITS,
  header: true,
  footer: true,
  buttonRendering: "best-effort",
});

/**
 * ZapperAPI / ZapperHUB: `POST {baseUrl}/{instanceId}/messages/buttons`, with the `x-api-key`
 * header. A channel's `send` rejects with `ProviderRejected` or `ProviderUnavailable` alone.
 * Webhooks: see {@link zapperInbound}.
 */
export const zapperDriver = defineChannelDriver({
  provider: ZAPPER_PROVIDER,
  options: optionsSchema,
  capabilities: () => ZAPPER_CAPABILITIES,
  create: (options, env: HttpDriverEnv) =>
    createHttpChannel({
      provider: ZAPPER_PROVIDER,
      capabilities: ZAPPER_CAPABILITIES,
      url: `${options.baseUrl}/${encodeURIComponent(options.instanceId)}/messages/buttons`,
      headers: { "x-api-key": options.apiKey },
      timeoutMs: options.timeoutMs,
      transport: env.transport,
      secrets: [options.apiKey, options.instanceId],
      toRequestBody: (recipient, message) => toRequestBody(recipient, message, options),
      readAnswer,
    }),
  inbound: zapperInbound,
});

export type ZapperChannelOptions = HttpChannelOptions<typeof optionsSchema>;

/**
 * A ZapperAPI channel, for code that wires channels by hand. Throws only here, for invalid
 * options, listing every problem.
 */
export const createZapperChannel = httpChannelFactory("createZapperChannel", zapperDriver);
