import {
  type ChannelCapabilities,
  type ChannelPort,
  isProviderError,
  WHATSAPP_CLOUD_LIMITS,
} from "@replykit/core";
import { postJson, redactor } from "@replykit/http-transport";
import { readWhatsAppAnswer, WHATSAPP_PROVIDER } from "./errors.js";
import { resolveOptions, type WhatsAppChannelOptions } from "./options.js";
import { toWhatsAppRequest } from "./wire.js";

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
 * A channel that sends reply-button messages through the Meta WhatsApp Cloud API
 * (`POST {baseUrl}/{apiVersion}/{phoneNumberId}/messages`). Throws only here, for invalid
 * options; `send` rejects with `ProviderRejected` or `ProviderUnavailable` alone.
 */
export function createWhatsAppChannel(options: WhatsAppChannelOptions): ChannelPort {
  const config = resolveOptions(options);
  const url = `${config.baseUrl}/${config.apiVersion}/${encodeURIComponent(config.phoneNumberId)}/messages`;
  const headers = Object.freeze({ authorization: `Bearer ${config.accessToken}` });
  // Built once: every error answer of this channel is scrubbed of the same token.
  const redact = redactor([config.accessToken]);

  return {
    provider: WHATSAPP_PROVIDER,
    capabilities: WHATSAPP_CAPABILITIES,
    async send(recipient, message, context) {
      const answer = await postJson({
        provider: WHATSAPP_PROVIDER,
        transport: config.transport,
        url,
        headers,
        json: toWhatsAppRequest(recipient, message),
        timeoutMs: config.timeoutMs,
        signal: context.signal,
      });
      const outcome = readWhatsAppAnswer(answer, redact);
      if (isProviderError(outcome)) throw outcome;
      return outcome;
    },
  };
}
