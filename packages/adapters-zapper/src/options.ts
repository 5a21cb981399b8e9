import { fetchTransport, type HttpTransport } from "@replykit/http-transport";
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
  readonly expiration: ZapperExpiration | undefined;
}

// Messages never quote the value given: a misplaced credential must not end up in a log.
const credential = (name: string) =>
  z
    .string({ error: `${name} is required (a non-empty string)` })
    .min(1, `${name} is required (a non-empty string)`)
    // A header value or URL segment with spaces or control characters fails on the wire with
    // an obscure network error; copy-pasted keys with a trailing newline are the usual cause.
    .regex(/^[\x21-\x7E]+$/, `${name} must be printable ASCII without spaces`);

const optionsSchema = z.object({
  instanceId: credential("instanceId"),
  apiKey: credential("apiKey"),
  baseUrl: z
    .string({ error: "baseUrl must be a string" })
    .refine(isHttpBaseUrl, "baseUrl must be an absolute http(s) URL without query or fragment")
    .optional(),
  timeoutMs: z
    .number({ error: "timeoutMs must be a number" })
    .int("timeoutMs must be a whole number of milliseconds")
    .positive("timeoutMs must be positive")
    .optional(),
  transport: z
    .custom<HttpTransport>((value) => typeof value === "function", "transport must be a function")
    .optional(),
  expiration: z
    .enum(["none", "24h", "7d", "90d"], {
      error: 'expiration must be one of "none", "24h", "7d", "90d"',
    })
    .optional(),
});

function isHttpBaseUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    (url.protocol === "https:" || url.protocol === "http:") && url.search === "" && url.hash === ""
  );
}

/**
 * Checks the options once, when the channel is made, and fills in the defaults. Throws an
 * `Error` listing every problem: the only place the adapter throws.
 */
export function resolveZapperOptions(options: ZapperChannelOptions): ResolvedZapperOptions {
  const parsed = optionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message);
    throw new Error(`createZapperChannel: invalid options: ${problems.join("; ")}`);
  }
  const { instanceId, apiKey, baseUrl, timeoutMs, transport, expiration } = parsed.data;
  return {
    instanceId,
    apiKey,
    baseUrl: (baseUrl ?? DEFAULT_ZAPPER_BASE_URL).replace(/\/+$/, ""),
    timeoutMs: timeoutMs ?? DEFAULT_ZAPPER_TIMEOUT_MS,
    transport: transport ?? fetchTransport(),
    expiration,
  };
}
