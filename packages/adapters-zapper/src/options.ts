import {
  baseUrlOption,
  credentialOption,
  type HttpTransport,
  PRINTABLE_ASCII,
  parseAdapterOptions,
  timeoutMsOption,
  transportOption,
} from "@replykit/http-transport";
import { z } from "zod";

/** ZapperAPI's disappearing-message timers (`expiration` in its openapi.json). */
export type ZapperExpiration = "none" | "24h" | "7d" | "90d";

export interface ZapperChannelOptions {
  /**
   * The ZapperAPI instance, e.g. `inst_abcdefghijk1234567890z`. Required. It is the first
   * segment of every URL path (`{baseUrl}/{instanceId}/messages/buttons`).
   */
  readonly instanceId: string;
  /** The instance's API key, sent as the `x-api-key` header. Required. */
  readonly apiKey: string;
  /**
   * Where ZapperAPI answers, without the instance. Default `"https://api.zapperapi.com"`.
   * Set it to reach a proxy or the provider simulator.
   */
  readonly baseUrl?: string | undefined;
  /** Time allowed for one request, answer included, in milliseconds. Default `10000`. */
  readonly timeoutMs?: number | undefined;
  /**
   * How requests are sent. Default `fetchTransport()` (the global `fetch`, so the adapter runs
   * on edge runtimes); on Node, `undiciTransport()` from `@replykit/http-transport/undici`
   * keeps connections alive.
   */
  readonly transport?: HttpTransport | undefined;
  /**
   * Makes every message disappear after this long. Default: not sent, so the chat's own
   * setting applies (ZapperAPI's default is `"none"`).
   */
  readonly expiration?: ZapperExpiration | undefined;
}

export const DEFAULT_ZAPPER_BASE_URL = "https://api.zapperapi.com";
export const DEFAULT_ZAPPER_TIMEOUT_MS = 10_000;

/** The options after checking, with every default filled in. */
export interface ResolvedZapperOptions {
  readonly instanceId: string;
  readonly apiKey: string;
  /** Without a trailing slash. */
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly transport: HttpTransport;
  /** Absent when not configured: the chat's own setting applies. */
  readonly expiration?: ZapperExpiration | undefined;
}

// The checks every HTTP adapter shares come from http-transport; `expiration` is ZapperAPI's
// own. Both credentials must be printable ASCII, the form ZapperAPI's keys and instance ids
// take: anything else is a copy-paste accident, not a key.
const optionsSchema = z.object({
  instanceId: credentialOption("instanceId", { form: PRINTABLE_ASCII, inUrlPath: true }),
  apiKey: credentialOption("apiKey", { form: PRINTABLE_ASCII }),
  baseUrl: baseUrlOption(DEFAULT_ZAPPER_BASE_URL),
  timeoutMs: timeoutMsOption(DEFAULT_ZAPPER_TIMEOUT_MS),
  transport: transportOption(),
  expiration: z
    .enum(["none", "24h", "7d", "90d"], {
      error: 'expiration must be one of "none", "24h", "7d", "90d"',
    })
    .optional(),
});

/**
 * Checks the options once, when the channel is made, and fills in the defaults. Throws an
 * `Error` listing every problem: the only place the adapter throws.
 */
export function resolveZapperOptions(options: ZapperChannelOptions): ResolvedZapperOptions {
  return parseAdapterOptions("createZapperChannel", optionsSchema, options);
}
