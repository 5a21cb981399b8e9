import {
  baseUrlOption,
  credentialOption,
  type HttpTransport,
  parseAdapterOptions,
  timeoutMsOption,
  transportOption,
} from "@replykit/http-transport";
import { z } from "zod";

/**
 * Which Z-API send endpoint carries the message.
 *
 * - `"button-actions"`: `send-button-actions` with `REPLY` buttons. The only form with a
 *   `title` (our header) and a `footer`, so nothing of a message is lost.
 * - `"button-list"`: `send-button-list`, body and buttons only. The channel then declares
 *   `header: false` and `footer: false`, so a message with either is refused before sending.
 */
export type ZapiEndpoint = "button-actions" | "button-list";

export interface ZapiChannelOptions {
  /** The instance id from the Z-API panel (goes in the URL path). Required. */
  readonly instanceId: string;
  /**
   * The instance token from the Z-API panel. Required. It goes in the URL path, so the
   * adapter never puts a URL in an error or log.
   */
  readonly instanceToken: string;
  /** The account security token, sent as the `Client-Token` header. Required. */
  readonly clientToken: string;
  /** Z-API's origin, optionally with a path prefix (a proxy). Default `"https://api.z-api.io"`. */
  readonly baseUrl?: string;
  /** Time allowed for one request, in milliseconds. Default `10000`. */
  readonly timeoutMs?: number;
  /** How requests leave the process. Default `fetchTransport()` (global `fetch`, edge-safe). */
  readonly transport?: HttpTransport;
  /** Default `"button-actions"`; see {@link ZapiEndpoint}. */
  readonly endpoint?: ZapiEndpoint;
  /**
   * Z-API's `delayMessage`: seconds (whole, 1–15) Z-API waits before sending. Default: not
   * sent, so Z-API applies its own 1–3 s delay.
   */
  readonly delayMessageSeconds?: number;
}

/** The options after defaults and checks: what the channel runs with. */
export interface ZapiSettings {
  readonly instanceId: string;
  readonly instanceToken: string;
  readonly clientToken: string;
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly transport: HttpTransport;
  readonly endpoint: ZapiEndpoint;
  /** Absent when not configured: Z-API then applies its own delay. */
  readonly delayMessageSeconds?: number | undefined;
}

export const DEFAULT_ZAPI_BASE_URL = "https://api.z-api.io";
export const DEFAULT_ZAPI_TIMEOUT_MS = 10_000;

// The checks every HTTP adapter shares come from http-transport; the endpoint and the delay
// are Z-API's own. The instance id and token are URL-encoded into the path, so the token
// form (no whitespace or control characters) is enough for all three credentials.
const optionsSchema = z.object({
  instanceId: credentialOption("instanceId", { inUrlPath: true }),
  instanceToken: credentialOption("instanceToken", { inUrlPath: true }),
  clientToken: credentialOption("clientToken"),
  baseUrl: baseUrlOption(DEFAULT_ZAPI_BASE_URL),
  timeoutMs: timeoutMsOption(DEFAULT_ZAPI_TIMEOUT_MS),
  transport: transportOption(),
  endpoint: z
    .enum(["button-actions", "button-list"], {
      error: 'endpoint must be "button-actions" or "button-list"',
    })
    .optional()
    .transform((endpoint) => endpoint ?? "button-actions"),
  delayMessageSeconds: z
    .number({ error: "delayMessageSeconds must be a number" })
    .int("delayMessageSeconds must be a whole number of seconds")
    .min(1, "delayMessageSeconds must be between 1 and 15 (Z-API's range)")
    .max(15, "delayMessageSeconds must be between 1 and 15 (Z-API's range)")
    .optional(),
});

/**
 * Applies the defaults and checks the options, throwing one `Error` that lists every
 * problem. This is the only place the adapter throws; no message quotes a credential.
 */
export function resolveOptions(options: ZapiChannelOptions): ZapiSettings {
  return parseAdapterOptions("createZapiChannel", optionsSchema, options);
}
