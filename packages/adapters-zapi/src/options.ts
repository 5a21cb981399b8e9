import {
  baseUrlOption,
  credentialOption,
  timeoutMsOption,
  webhookSecretOption,
} from "@replykit/http-transport";
import * as z from "zod/mini";

/**
 * Which Z-API send endpoint carries the message.
 *
 * - `"button-actions"`: `send-button-actions` with `REPLY` buttons. The only form with a
 *   `title` (our header) and a `footer`, so nothing of a message is lost.
 * - `"button-list"`: `send-button-list`, body and buttons only. The channel then declares
 *   `header: false` and `footer: false`, so a message with either is refused before sending.
 */
export type ZapiEndpoint = "button-actions" | "button-list";

export const DEFAULT_ZAPI_BASE_URL = "https://api.z-api.io";
export const DEFAULT_ZAPI_TIMEOUT_MS = 10_000;

/**
 * The Z-API driver's options, the only place they are stated. The checks every HTTP adapter
 * shares come from http-transport; the endpoint and the delay are Z-API's own. The instance
 * id and token are URL-encoded into the path, so the token form (no whitespace or control
 * characters) is enough for all three credentials.
 */
export const optionsSchema = z.object({
  /** The instance id from the Z-API panel (goes in the URL path). */
  instanceId: credentialOption("instanceId", { inUrlPath: true }),
  /**
   * The instance token from the Z-API panel. It goes in the URL path, so the adapter never
   * puts a URL in an error or log.
   */
  instanceToken: credentialOption("instanceToken", { inUrlPath: true }),
  /** The account security token, sent as the `Client-Token` header. */
  clientToken: credentialOption("clientToken"),
  /** Z-API's origin, optionally with a path prefix (a proxy). */
  baseUrl: baseUrlOption(DEFAULT_ZAPI_BASE_URL),
  /** Time allowed for the provider to answer one request. */
  timeoutMs: timeoutMsOption(DEFAULT_ZAPI_TIMEOUT_MS),
  /** Default `"button-actions"`; see {@link ZapiEndpoint}. */
  endpoint: z.pipe(
    z.optional(
      z.enum(["button-actions", "button-list"], {
        error: 'endpoint must be "button-actions" or "button-list"',
      }),
    ),
    z.transform((endpoint: ZapiEndpoint | undefined): ZapiEndpoint => endpoint ?? "button-actions"),
  ),
  /**
   * Z-API's `delayMessage`: seconds (whole, 1–15) Z-API waits before sending. Default: not
   * sent, so Z-API applies its own 1–3 s delay.
   */
  delayMessageSeconds: z.optional(
    z
      .number({ error: "delayMessageSeconds must be a number" })
      .check(
        z.int("delayMessageSeconds must be a whole number of seconds"),
        z.minimum(1, "delayMessageSeconds must be between 1 and 15 (Z-API's range)"),
        z.maximum(15, "delayMessageSeconds must be between 1 and 15 (Z-API's range)"),
      ),
  ),
  /**
   * The secret segment of this connection's webhook URL. Z-API signs no webhook, so the URL
   * is the only thing that tells its calls from anyone else's: a request is accepted only
   * when the URL's secret segment equals this (compared in constant time). Without it, every
   * webhook for the connection is refused. At least {@link MIN_WEBHOOK_SECRET_LENGTH}
   * URL-safe characters; 32 random ones (`openssl rand -hex 16`) are better.
   */
  webhookSecret: webhookSecretOption("the secret segment of the webhook URL"),
});

/** The options as given: the three credentials required, the rest defaulted. */
export type ZapiOptions = z.input<typeof optionsSchema>;
/** The options once checked, every default filled in (`baseUrl` without a trailing slash). */
export type ResolvedZapiOptions = z.output<typeof optionsSchema>;

/** The shortest `webhookSecret` accepted (http-transport's rule, shared by every provider that signs nothing). */
export { MIN_WEBHOOK_SECRET_LENGTH } from "@replykit/http-transport";
