import {
  baseUrlOption,
  credentialOption,
  type HttpTransport,
  PATH_SEGMENT_CHARACTERS,
  parseAdapterOptions,
  timeoutMsOption,
  transportOption,
} from "@replykit/http-transport";
import { z } from "zod";

export const DEFAULT_WHATSAPP_BASE_URL = "https://graph.facebook.com";
export const DEFAULT_WHATSAPP_API_VERSION = "v23.0";
export const DEFAULT_WHATSAPP_TIMEOUT_MS = 10_000;

export interface WhatsAppChannelOptions {
  /**
   * A Cloud API access token (a System User token in production), sent as
   * `Authorization: Bearer <token>`. Required. Never appears in an error the channel raises.
   */
  readonly accessToken: string;
  /**
   * The id of the business phone number that sends, as shown in WhatsApp Manager
   * (not the phone number itself). Required. It is a path segment of the send URL.
   */
  readonly phoneNumberId: string;
  /**
   * Origin of the Graph API, optionally with a path prefix (a proxy or a simulator).
   * Default `"https://graph.facebook.com"`.
   */
  readonly baseUrl?: string;
  /** Graph API version, of the form `vNN.N`. Default `"v23.0"`. */
  readonly apiVersion?: string;
  /** Time allowed for one request, connection included. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /**
   * How requests are sent. Default `fetchTransport()` (the global `fetch`, for every
   * runtime); on Node, `undiciTransport()` from `@replykit/http-transport/undici` pools
   * keep-alive connections.
   */
  readonly transport?: HttpTransport;
}

/** The options once checked, with every default filled in. */
export interface WhatsAppChannelConfig {
  readonly accessToken: string;
  readonly phoneNumberId: string;
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly apiVersion: string;
  readonly timeoutMs: number;
  readonly transport: HttpTransport;
}

const API_VERSION_FORM = /^v\d+\.\d+$/;

// The checks every HTTP adapter shares come from http-transport; only the Graph API version
// and the phone number id's description are Meta's.
const optionsSchema = z.object({
  accessToken: credentialOption("accessToken", {
    what: "a WhatsApp Cloud API access token",
    ifEmpty: "must not be empty",
  }),
  // Not a secret, but a path segment of the send URL, hence the stricter form.
  phoneNumberId: credentialOption("phoneNumberId", {
    what: "the sending phone number's id",
    ifEmpty: "must not be empty",
    form: PATH_SEGMENT_CHARACTERS,
    inUrlPath: true,
  }),
  baseUrl: baseUrlOption(DEFAULT_WHATSAPP_BASE_URL),
  apiVersion: z
    .string({ error: "apiVersion must be a string" })
    .regex(API_VERSION_FORM, 'apiVersion must look like "v23.0"')
    .optional()
    .transform((apiVersion) => apiVersion ?? DEFAULT_WHATSAPP_API_VERSION),
  timeoutMs: timeoutMsOption(DEFAULT_WHATSAPP_TIMEOUT_MS),
  transport: transportOption(),
});

/**
 * Checks the options and fills in the defaults. Throws an `Error` listing every problem
 * (the only place the adapter throws): a misconfigured channel should fail at startup,
 * not on the first message.
 */
export function resolveOptions(options: WhatsAppChannelOptions): WhatsAppChannelConfig {
  return parseAdapterOptions("createWhatsAppChannel", optionsSchema, options);
}
