import {
  type ButtonMessage,
  type ChannelCapabilities,
  type ChannelPort,
  isProviderError,
  ProviderRejected,
  type SendContext,
  type SendReceipt,
  WHATSAPP_CLOUD_LIMITS,
} from "@replykit/core";
import { postJson, redactor } from "@replykit/http-transport";
import { interpretZapiAnswer, ZAPI_PROVIDER } from "./errors.js";
import { resolveOptions, type ZapiChannelOptions, type ZapiEndpoint } from "./options.js";
import { toZapiRequest, ZAPI_SEND_ACTION } from "./wire.js";

/**
 * What a Z-API channel can show. Z-API documents no length limits of its own and relays to
 * WhatsApp, whose limits apply underneath, hence the Cloud API's. Only `send-button-actions`
 * carries a title (our header) and a footer. Z-API drives WhatsApp through the web protocol
 * and warns that buttons may not render on every client: `best-effort`.
 */
export function zapiCapabilities(endpoint: ZapiEndpoint): ChannelCapabilities {
  const carriesHeaderAndFooter = endpoint === "button-actions";
  return Object.freeze({
    maxButtons: 3,
    limits: WHATSAPP_CLOUD_LIMITS,
    header: carriesHeaderAndFooter,
    footer: carriesHeaderAndFooter,
    buttonRendering: "best-effort",
  });
}

/**
 * A {@link ChannelPort} that sends reply-button messages through Z-API. Throws only here,
 * at creation, when an option is missing or malformed.
 *
 * ```ts
 * const channel = createZapiChannel({ instanceId, instanceToken, clientToken });
 * ```
 */
export function createZapiChannel(options: ZapiChannelOptions): ChannelPort {
  const settings = resolveOptions(options);
  const capabilities = zapiCapabilities(settings.endpoint);
  // The instance token is part of this URL: it is handed to the transport and nowhere else.
  const url = [
    settings.baseUrl,
    "instances",
    encodeURIComponent(settings.instanceId),
    "token",
    encodeURIComponent(settings.instanceToken),
    ZAPI_SEND_ACTION[settings.endpoint],
  ].join("/");
  // Built once: every error answer of this channel is scrubbed of the same credentials.
  const redact = redactor([settings.instanceToken, settings.clientToken, settings.instanceId]);

  return {
    provider: ZAPI_PROVIDER,
    capabilities,
    async send(
      recipient: string,
      message: ButtonMessage,
      context: SendContext,
    ): Promise<SendReceipt> {
      refuseWhatCannotBeShown(message, settings.endpoint);
      const answer = await postJson({
        provider: ZAPI_PROVIDER,
        transport: settings.transport,
        url,
        headers: { "Client-Token": settings.clientToken },
        json: toZapiRequest(recipient, message, settings),
        timeoutMs: settings.timeoutMs,
        signal: context.signal,
      });
      const outcome = interpretZapiAnswer(answer, redact);
      if (isProviderError(outcome)) throw outcome;
      return outcome;
    },
  };
}

/**
 * The use case checks capabilities before sending; this repeats, for callers that use the
 * channel directly, the one check a valid `ButtonMessage` can fail here: a header or footer
 * sent to `send-button-list`, which has nowhere to put them, is refused, never dropped. The
 * rest of the capabilities cannot fail: they are the domain's own limits (3 buttons,
 * `WHATSAPP_CLOUD_LIMITS`), which every `ButtonMessage` already meets.
 */
function refuseWhatCannotBeShown(message: ButtonMessage, endpoint: ZapiEndpoint): void {
  if (endpoint !== "button-list") return;
  const unshown = [
    ...(message.header === undefined ? [] : ["header"]),
    ...(message.footer === undefined ? [] : ["footer"]),
  ];
  if (unshown.length === 0) return;
  throw new ProviderRejected({
    provider: ZAPI_PROVIDER,
    message: `not sent: Z-API's send-button-list cannot show a ${unshown.join(" or a ")}; send the message without it, or use the endpoint "button-actions"`,
  });
}
