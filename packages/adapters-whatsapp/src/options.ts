import { fetchTransport, type HttpTransport } from "@replykit/http-transport";
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

// Whitespace or control characters in a token make `fetch` throw when it builds the
// header, which would surface as a misleading "could not reach" on every send.
const TOKEN_FORM = /^[^\s\p{Cc}]+$/u;
// The id is a path segment: a slash, `?` or `#` would send the request somewhere else.
const PATH_SEGMENT_FORM = /^[^\s/?#\p{Cc}]+$/u;
const API_VERSION_FORM = /^v\d+\.\d+$/;

const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    const http = url.protocol === "https:" || url.protocol === "http:";
    // `fetch` refuses a URL with user info, which would fail every send, not this call.
    return http && !url.search && !url.hash && !url.username && !url.password;
  } catch {
    return false;
  }
};

// Messages name the option and the rule, never the value: the value may be the token.
const optionsSchema = z.object(
  {
    accessToken: z
      .string({ error: "accessToken is required (a WhatsApp Cloud API access token)" })
      .min(1, "accessToken must not be empty")
      .regex(TOKEN_FORM, "accessToken must not contain whitespace or control characters"),
    phoneNumberId: z
      .string({ error: "phoneNumberId is required (the sending phone number's id)" })
      .min(1, "phoneNumberId must not be empty")
      .regex(PATH_SEGMENT_FORM, "phoneNumberId must not contain whitespace, '/', '?' or '#'"),
    baseUrl: z
      .string({ error: "baseUrl must be a string" })
      .refine(isHttpUrl, "baseUrl must be an http(s) URL without user info, query or fragment")
      .optional(),
    apiVersion: z
      .string({ error: "apiVersion must be a string" })
      .regex(API_VERSION_FORM, 'apiVersion must look like "v23.0"')
      .optional(),
    timeoutMs: z
      .number({ error: "timeoutMs must be a number" })
      .int("timeoutMs must be a whole number of milliseconds")
      .positive("timeoutMs must be positive")
      // Timers take a signed 32-bit delay; a larger one fires at once.
      .max(2_147_483_647, "timeoutMs must be at most 2147483647 (about 24.8 days)")
      .optional(),
    transport: z
      .custom<HttpTransport>((value) => typeof value === "function", {
        error: "transport must be an HttpTransport function",
      })
      .optional(),
  },
  { error: "options must be an object" },
);

/**
 * Checks the options and fills in the defaults. Throws an `Error` listing every problem
 * (the only place the adapter throws): a misconfigured channel should fail at startup,
 * not on the first message.
 */
export function resolveOptions(options: WhatsAppChannelOptions): WhatsAppChannelConfig {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message);
    throw new Error(`createWhatsAppChannel: invalid options: ${problems.join("; ")}`);
  }
  const { accessToken, phoneNumberId, baseUrl, apiVersion, timeoutMs, transport } = parsed.data;
  return {
    accessToken,
    phoneNumberId,
    baseUrl: (baseUrl ?? DEFAULT_WHATSAPP_BASE_URL).replace(/\/+$/, ""),
    apiVersion: apiVersion ?? DEFAULT_WHATSAPP_API_VERSION,
    timeoutMs: timeoutMs ?? DEFAULT_WHATSAPP_TIMEOUT_MS,
    transport: transport ?? fetchTransport(),
  };
}
