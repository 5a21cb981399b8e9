import {
  type ButtonMessage,
  type ChannelCapabilities,
  type ChannelPort,
  checkCapabilities,
  isProviderError,
  ProviderRejected,
  type SendContext,
  type SendReceipt,
  WHATSAPP_CLOUD_LIMITS,
} from "@replykit/core";
import { postJson } from "@replykit/http-transport";
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
  const secrets = [settings.instanceToken, settings.clientToken, settings.instanceId];

  return {
    provider: ZAPI_PROVIDER,
    capabilities,
    async send(
      recipient: string,
      message: ButtonMessage,
      context: SendContext,
    ): Promise<SendReceipt> {
      refuseWhatCannotBeShown(message, capabilities);
      const answer = await postJson({
        provider: ZAPI_PROVIDER,
        transport: settings.transport,
        url,
        headers: { "Client-Token": settings.clientToken },
        json: toZapiRequest(recipient, message, settings),
        timeoutMs: settings.timeoutMs,
        signal: context.signal,
      });
      const outcome = interpretZapiAnswer(answer, secrets);
      if (isProviderError(outcome)) throw outcome;
      return outcome;
    },
  };
}

/**
 * The use case checks capabilities before sending; this repeats it for callers that use the
 * channel directly, so a header sent to `send-button-list` is refused, never dropped.
 */
function refuseWhatCannotBeShown(message: ButtonMessage, capabilities: ChannelCapabilities): void {
  const issues = checkCapabilities(message, capabilities);
  if (issues.length === 0) return;
  throw new ProviderRejected({
    provider: ZAPI_PROVIDER,
    message: `not sent: this Z-API channel cannot show the message as given (${issues
      .map((issue) => issue.message)
      .join("; ")})`,
  });
}
