import {
  type ButtonMessage,
  type ChannelCapabilities,
  defineChannelDriver,
  ProviderRejected,
  WHATSAPP_CLOUD_LIMITS,
} from "@replykit/core";
import {
  createHttpChannel,
  type HttpChannelOptions,
  type HttpDriverEnv,
  httpChannelFactory,
} from "@replykit/http-transport";
import { readAnswer, ZAPI_PROVIDER } from "./answer.js";
import { zapiInbound } from "./inbound.js";
import { optionsSchema, type ZapiEndpoint } from "./options.js";
import { toRequestBody, ZAPI_SEND_ACTION } from "./wire.js";

/**
 * What a Z-API channel can show. Z-API documents no length limits of its own and relays to
 * WhatsApp, whose limits apply underneath, hence the Cloud API's. Only `send-button-actions`
 * carries a title (our header) and a footer. Z-API drives WhatsApp through the web protocol
 * and warns that buttons may not render on every client: `best-effort`.
 */
export function capabilitiesOf(endpoint: ZapiEndpoint): ChannelCapabilities {
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
 * Z-API: `POST {baseUrl}/instances/{instanceId}/token/{instanceToken}/send-button-actions`
 * (or `send-button-list`), with the `Client-Token` header. A channel's `send` rejects with
 * `ProviderRejected` or `ProviderUnavailable` alone.
 */
export const zapiDriver = defineChannelDriver({
  provider: ZAPI_PROVIDER,
  options: optionsSchema,
  capabilities: (options) => capabilitiesOf(options.endpoint),
  create: (options, env: HttpDriverEnv) =>
    createHttpChannel({
      provider: ZAPI_PROVIDER,
      capabilities: capabilitiesOf(options.endpoint),
      // The instance token is part of this URL: it is handed to the transport and nowhere else.
      url: [
        options.baseUrl,
        "instances",
        encodeURIComponent(options.instanceId),
        "token",
        encodeURIComponent(options.instanceToken),
        ZAPI_SEND_ACTION[options.endpoint],
      ].join("/"),
      headers: { "Client-Token": options.clientToken },
      timeoutMs: options.timeoutMs,
      transport: env.transport,
      secrets: [options.instanceToken, options.clientToken, options.instanceId],
      refuse: (message) => refuseWhatCannotBeShown(message, options.endpoint),
      toRequestBody: (recipient, message) => toRequestBody(recipient, message, options),
      readAnswer,
    }),
  inbound: zapiInbound,
});

export type ZapiChannelOptions = HttpChannelOptions<typeof optionsSchema>;

/**
 * A Z-API channel, for code that wires channels by hand. Throws only here, for invalid
 * options, listing every problem.
 *
 * ```ts
 * const channel = createZapiChannel({ instanceId, instanceToken, clientToken });
 * ```
 */
export const createZapiChannel = httpChannelFactory("createZapiChannel", zapiDriver);

/**
 * The use case checks capabilities before sending; this repeats, for callers that use the
 * channel directly, the one check a valid `ButtonMessage` can fail here: a header or footer
 * sent to `send-button-list`, which has nowhere to put them, is refused, never dropped. The
 * rest of the capabilities cannot fail: they are the domain's own limits (3 buttons,
 * `WHATSAPP_CLOUD_LIMITS`), which every `ButtonMessage` already meets.
 */
function refuseWhatCannotBeShown(
  message: ButtonMessage,
  endpoint: ZapiEndpoint,
): ProviderRejected | undefined {
  if (endpoint !== "button-list") return undefined;
  const unshown = [
    ...(message.header === undefined ? [] : ["header"]),
    ...(message.footer === undefined ? [] : ["footer"]),
  ];
  if (unshown.length === 0) return undefined;
  return new ProviderRejected({
    provider: ZAPI_PROVIDER,
    message: `not sent: Z-API's send-button-list cannot show a ${unshown.join(" or a ")}; send the message without it, or use the endpoint "button-actions"`,
  });
}
