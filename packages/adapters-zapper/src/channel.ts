import {
  type ButtonMessage,
  type ChannelCapabilities,
  type ChannelPort,
  type SendContext,
  type SendReceipt,
  WHATSAPP_CLOUD_LIMITS,
} from "@replykit/core";
import { postJson, redactor } from "@replykit/http-transport";
import { readZapperAnswer, ZAPPER_PROVIDER } from "./errors.js";
import { resolveZapperOptions, type ZapperChannelOptions } from "./options.js";
import { toZapperButtonsRequest } from "./wire.js";

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
 * A {@link ChannelPort} that sends reply-button messages through ZapperAPI / ZapperHUB
 * (`POST {baseUrl}/{instanceId}/messages/buttons`). Throws only here, for invalid options.
 */
export function createZapperChannel(options: ZapperChannelOptions): ChannelPort {
  const { instanceId, apiKey, baseUrl, timeoutMs, transport, expiration } =
    resolveZapperOptions(options);
  const url = `${baseUrl}/${encodeURIComponent(instanceId)}/messages/buttons`;
  const headers = { "x-api-key": apiKey };
  const redact = redactor([apiKey, instanceId]);

  return {
    provider: ZAPPER_PROVIDER,
    capabilities: ZAPPER_CAPABILITIES,
    async send(
      recipient: string,
      message: ButtonMessage,
      context: SendContext,
    ): Promise<SendReceipt> {
      const answer = await postJson({
        provider: ZAPPER_PROVIDER,
        transport,
        url,
        headers,
        json: toZapperButtonsRequest(recipient, message, expiration),
        timeoutMs,
        signal: context.signal,
      });
      const outcome = readZapperAnswer(answer, redact);
      if (outcome.ok) return outcome.receipt;
      throw outcome.error;
    },
  };
}
