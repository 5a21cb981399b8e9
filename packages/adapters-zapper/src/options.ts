import {
  baseUrlOption,
  credentialOption,
  PRINTABLE_ASCII,
  timeoutMsOption,
  webhookSecretOption,
} from "@replykit/http-transport";
import * as z from "zod/mini";

/** ZapperAPI's disappearing-message timers (`expiration` in its openapi.json). */
export type ZapperExpiration = "none" | "24h" | "7d" | "90d";

export const DEFAULT_ZAPPER_BASE_URL = "https://api.zapperapi.com";
export const DEFAULT_ZAPPER_TIMEOUT_MS = 10_000;

/**
 * The ZapperAPI driver's options, the only place they are stated. The checks every HTTP
 * adapter shares come from http-transport; `expiration` is ZapperAPI's own. Both credentials
 * must be printable ASCII, the form ZapperAPI's keys and instance ids take: anything else is
 * a copy-paste accident, not a key.
 */
export const optionsSchema = z.object({
  /**
   * The ZapperAPI instance, e.g. `inst_abcdefghijk1234567890z`: the first segment of every
   * URL path (`{baseUrl}/{instanceId}/messages/buttons`).
   */
  instanceId: credentialOption("instanceId", { form: PRINTABLE_ASCII, inUrlPath: true }),
  /** The instance's API key, sent as the `x-api-key` header. */
  apiKey: credentialOption("apiKey", { form: PRINTABLE_ASCII }),
  /** Where ZapperAPI answers, without the instance (a proxy, the provider simulator). */
  baseUrl: baseUrlOption(DEFAULT_ZAPPER_BASE_URL),
  /** Time allowed for the provider to answer one request. */
  timeoutMs: timeoutMsOption(DEFAULT_ZAPPER_TIMEOUT_MS),
  /**
   * Makes every message disappear after this long. Default: not sent, so the chat's own
   * setting applies (ZapperAPI's default is `"none"`).
   */
  expiration: z.optional(
    z.enum(["none", "24h", "7d", "90d"], {
      error: 'expiration must be one of "none", "24h", "7d", "90d"',
    }),
  ),
  /**
   * The secret that authenticates this connection's webhooks: the `secretKey` given to
   * ZapperAPI (which sends it back as `Authorization: Bearer <secretKey>`), and the secret
   * segment of the webhook URL (for subscriptions that send no header). Compared in constant
   * time; without it, every webhook for the connection is refused. At least
   * {@link MIN_WEBHOOK_SECRET_LENGTH} URL-safe characters; 32 random ones are better.
   */
  webhookSecret: webhookSecretOption("the webhook secret"),
});

/** The options as given: `instanceId` and `apiKey` required, the rest defaulted. */
export type ZapperOptions = z.input<typeof optionsSchema>;
/** The options once checked, every default filled in (`baseUrl` without a trailing slash). */
export type ResolvedZapperOptions = z.output<typeof optionsSchema>;

/** The shortest `webhookSecret` accepted (http-transport's rule, shared by every provider that signs nothing). */
export { MIN_WEBHOOK_SECRET_LENGTH } from "@replykit/http-transport";
