import * as z from "zod/mini";
import { fetchTransport } from "./fetch-transport.js";
import type { HttpTransport } from "./transport.js";

// The options every HTTP adapter takes, checked the same way in each. An adapter throws only
// when it is made, so a misconfigured channel fails at startup, not on its first message.
// Every message names the option and the rule, never the value given: the value may be a
// credential, or a URL with one in it, and the message ends up in a log.

/**
 * Which characters a credential may hold, and how a refusal says so. A header value or URL
 * segment with a space or a control character fails every send later with an obscure
 * network error; copy-pasted keys with a trailing newline are the usual cause.
 */
export interface CredentialForm {
  readonly pattern: RegExp;
  /** Completes "`<option name>` …" in the refusal, e.g. `"must not contain whitespace"`. */
  readonly rule: string;
}

/** Anything but whitespace and control characters: fits a header value or an encoded segment. */
export const TOKEN_CHARACTERS: CredentialForm = Object.freeze({
  pattern: /^[^\s\p{Cc}]+$/u,
  rule: "must not contain whitespace or control characters",
});

/**
 * A token that is also one URL path segment as given: a `/`, `?` or `#` would send the
 * request somewhere else.
 */
export const PATH_SEGMENT_CHARACTERS: CredentialForm = Object.freeze({
  pattern: /^[^\s/?#\p{Cc}]+$/u,
  rule: "must not contain whitespace, '/', '?' or '#'",
});

/** `!` to `~` only: what every HTTP stack takes in a header, unencoded. */
export const PRINTABLE_ASCII: CredentialForm = Object.freeze({
  pattern: /^[\x21-\x7E]+$/,
  rule: "must be printable ASCII without spaces",
});

export interface CredentialRules {
  /**
   * What the option holds, for the message when it is missing:
   * "`<name>` is required (`<what>`)". Default `"a non-empty string"`.
   */
  readonly what?: string;
  /**
   * Completes "`<name>` …" when the value is an empty string. Default: the message for a
   * missing value, since an empty credential is no credential.
   */
  readonly ifEmpty?: string;
  /** Default {@link TOKEN_CHARACTERS}. */
  readonly form?: CredentialForm;
  /**
   * The value becomes one segment of the request's URL path. Encoding keeps its `/`, `?`
   * and `#` in the segment, but `.` and `..` stay dot segments, which every URL parser
   * resolves: `/v23.0/../messages` would post to `/messages`. Such values are refused.
   */
  readonly inUrlPath?: boolean;
}

const DOT_SEGMENT = /^\.{1,2}$/;

/**
 * A required credential or identifier: a non-empty string of the given {@link CredentialForm}.
 * Its messages never quote the value.
 */
export function credentialOption(
  name: string,
  rules: CredentialRules = {},
): z.ZodMiniString<string> {
  const missing = `${name} is required (${rules.what ?? "a non-empty string"})`;
  const form = rules.form ?? TOKEN_CHARACTERS;
  const option = z.string({ error: missing }).check(
    // `abort`: an empty string breaks the form rule too; one message about it is enough.
    z.minLength(1, {
      error: rules.ifEmpty === undefined ? missing : `${name} ${rules.ifEmpty}`,
      abort: true,
    }),
    z.regex(form.pattern, `${name} ${form.rule}`),
  );
  return rules.inUrlPath === true
    ? option.check(
        z.refine(
          (value) => !DOT_SEGMENT.test(value),
          `${name} must not be "." or "..", which would change the request's URL path`,
        ),
      )
    : option;
}

/** An optional option that parses to its default when absent. */
export type OptionWithDefault<Schema extends z.ZodMiniType, Value> = z.ZodMiniPipe<
  z.ZodMiniOptional<Schema>,
  z.ZodMiniTransform<Value, Value | undefined>
>;

/**
 * Removes trailing slashes, so that `${baseUrl}/path` never holds `//` (which some servers
 * route elsewhere or refuse), whether or not the caller ended the URL with a slash.
 */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

function isHttpBaseUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    (url.protocol === "https:" || url.protocol === "http:") &&
    // A query or fragment would end up in the middle of every request URL.
    url.search === "" &&
    url.hash === "" &&
    // `fetch` refuses a URL with user info, which would fail every send rather than this call.
    url.username === "" &&
    url.password === ""
  );
}

/**
 * The optional `baseUrl` option (a proxy, a simulator, a regional host): an absolute http(s)
 * URL, optionally with a path prefix, without query, fragment or user info. Parses to
 * `defaultUrl` when absent, and in any case to a URL without a trailing slash.
 */
export function baseUrlOption(
  defaultUrl: string,
): OptionWithDefault<z.ZodMiniString<string>, string> {
  const baseUrl = z
    .string({ error: "baseUrl must be a string" })
    .check(
      z.refine(
        isHttpBaseUrl,
        "baseUrl must be an absolute http(s) URL without query or fragment, and without user info",
      ),
    );
  return z.pipe(
    z.optional(baseUrl),
    z.transform((given: string | undefined) => normalizeBaseUrl(given ?? defaultUrl)),
  );
}

/** The largest delay timers take: they hold a signed 32-bit count, and fire at once beyond it. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * The optional `timeoutMs` option, the time allowed for one request: a whole, positive number
 * of milliseconds that a timer can hold. Parses to `defaultMs` when absent.
 */
export function timeoutMsOption(
  defaultMs: number,
): OptionWithDefault<z.ZodMiniNumber<number>, number> {
  const timeoutMs = z
    .number({ error: "timeoutMs must be a number" })
    .check(
      z.int("timeoutMs must be a whole number of milliseconds"),
      z.positive("timeoutMs must be positive"),
      z.maximum(
        MAX_TIMER_DELAY_MS,
        `timeoutMs must be at most ${MAX_TIMER_DELAY_MS} (about 24.8 days)`,
      ),
    );
  return z.pipe(
    z.optional(timeoutMs),
    z.transform((given: number | undefined) => given ?? defaultMs),
  );
}

/**
 * The optional `transport` option. Only "is a function" can be checked; parses to
 * `fetchTransport()` (the global `fetch`, every runtime) when absent.
 */
export function transportOption(): OptionWithDefault<
  z.ZodMiniCustom<HttpTransport, HttpTransport>,
  HttpTransport
> {
  const transport = z.custom<HttpTransport>((value) => typeof value === "function", {
    error: "transport must be a function (an HttpTransport)",
  });
  return z.pipe(
    z.optional(transport),
    z.transform((given: HttpTransport | undefined) => given ?? fetchTransport()),
  );
}

/**
 * Checks a factory's options against `schema`, returning what it parses to. Otherwise throws
 * one `Error`, `"<factoryName>: invalid options: <problem>; <problem>…"`, listing every
 * problem at once so a single restart fixes them all. The messages are the schema's own:
 * zod's default ones describe what was expected, never the value received.
 */
export function parseAdapterOptions<Schema extends z.core.$ZodType>(
  factoryName: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const isObject = typeof input === "object" && input !== null && !Array.isArray(input);
  // Without an object, `{}` is still checked, so the error names every required option.
  const parsed = z.safeParse(schema, isObject ? input : {});
  const problems = [
    ...(isObject ? [] : ["options must be an object"]),
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => issue.message)),
  ];
  if (!parsed.success || problems.length > 0) {
    throw new Error(`${factoryName}: invalid options: ${problems.join("; ")}`);
  }
  return parsed.data;
}
