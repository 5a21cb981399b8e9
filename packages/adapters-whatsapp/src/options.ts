import {
  baseUrlOption,
  credentialOption,
  PATH_SEGMENT_CHARACTERS,
  timeoutMsOption,
} from "@replykit/http-transport";
import * as z from "zod/mini";

export const DEFAULT_WHATSAPP_BASE_URL = "https://graph.facebook.com";
export const DEFAULT_WHATSAPP_API_VERSION = "v23.0";
export const DEFAULT_WHATSAPP_TIMEOUT_MS = 10_000;

const API_VERSION_FORM = /^v\d+\.\d+$/;

/**
 * The WhatsApp Cloud API driver's options, the only place they are stated. The checks every
 * HTTP adapter shares come from http-transport; only the Graph API version and the phone
 * number id's description are Meta's.
 */
export const optionsSchema = z.object({
  /**
   * A Cloud API access token (a System User token in production), sent as
   * `Authorization: Bearer <token>`. Never appears in an error the channel raises.
   */
  accessToken: credentialOption("accessToken", {
    what: "a WhatsApp Cloud API access token",
    ifEmpty: "must not be empty",
  }),
  /**
   * The id of the business phone number that sends, as shown in WhatsApp Manager (not the
   * number itself). Not a secret, but a path segment of the send URL, hence the stricter form.
   */
  phoneNumberId: credentialOption("phoneNumberId", {
    what: "the sending phone number's id",
    ifEmpty: "must not be empty",
    form: PATH_SEGMENT_CHARACTERS,
    inUrlPath: true,
  }),
  /** Origin of the Graph API, optionally with a path prefix (a proxy, a simulator). */
  baseUrl: baseUrlOption(DEFAULT_WHATSAPP_BASE_URL),
  /** Graph API version, of the form `vNN.N`. */
  apiVersion: z.pipe(
    z.optional(
      z
        .string({ error: "apiVersion must be a string" })
        .check(z.regex(API_VERSION_FORM, 'apiVersion must look like "v23.0"')),
    ),
    z.transform((apiVersion: string | undefined) => apiVersion ?? DEFAULT_WHATSAPP_API_VERSION),
  ),
  /** Time allowed for the provider to answer one request. */
  timeoutMs: timeoutMsOption(DEFAULT_WHATSAPP_TIMEOUT_MS),
  /**
   * The Meta app's secret (App Dashboard → App settings → Basic): the HMAC-SHA256 key of the
   * `X-Hub-Signature-256` header Meta signs every webhook with. Without it the connection
   * accepts no webhook at all: an unsigned tap or status is never believed.
   */
  appSecret: z.optional(
    credentialOption("appSecret", {
      what: "the Meta app secret",
      ifEmpty: "must not be empty (leave it out to accept no webhook)",
    }),
  ),
  /**
   * The token typed into the app's webhook settings, which Meta sends back in its
   * subscription handshake (`hub.verify_token`). Without it no handshake is answered.
   */
  verifyToken: z.optional(
    credentialOption("verifyToken", {
      what: "the webhook verify token",
      ifEmpty: "must not be empty (leave it out to answer no subscription handshake)",
    }),
  ),
});

/**
 * The options as given: `accessToken` and `phoneNumberId` required, the rest defaulted;
 * `appSecret` and `verifyToken` only for a connection that receives webhooks.
 */
export type WhatsAppOptions = z.input<typeof optionsSchema>;
/** The options once checked, every default filled in (`baseUrl` without a trailing slash). */
export type ResolvedWhatsAppOptions = z.output<typeof optionsSchema>;
