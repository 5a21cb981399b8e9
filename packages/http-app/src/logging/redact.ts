import { type LogFields, type Logger, REDACTED } from "@replykit/core";

/**
 * Field names whose values are never logged, whatever the nesting. The use case never logs
 * a credential; this is the safety net for the code that someone adds later.
 */
const SENSITIVE_KEY =
  /authorization|token|api[-_]?key|secret|password|passwd|credential|cookie|private[-_]?key|signature/i;

/** A credential that slipped into a text, e.g. a header quoted in an error message. */
const BEARER_IN_TEXT = /\b(bearer|basic)\s+[^\s"',;]+/gi;

/**
 * The user info of a URL (`postgres://user:password@host`), as drivers quote it in their
 * errors. Greedy up to the last `@` before the path, so that an unencoded `@` in the
 * password (`user:p@ss@host`) is masked too; a `/`, `?`, `#`, a space or a quote ends it.
 */
const URL_USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"'<>]*@/gi;

/** A `name=value` of a query string (or of a form, or `;`-separated parameters). */
const QUERY_PARAMETER = /([?&;])([^=&#;\s"'<>?]+)=([^&#;\s"'<>]*)/g;

/**
 * Query names that carry a credential though {@link SENSITIVE_KEY} misses them: `key`
 * (Google and many others), `sig` (signed URLs), `auth`, `pass`, `pwd`, `jwt`, `session`,
 * `sid`, `code` (OAuth), alone or after a separator (`api-key`, `x.sig`).
 */
const SENSITIVE_QUERY_NAME = /(?:^|[-_.])(?:key|sig|auth|pass|pwd|jwt|session|sid|code)$/i;

export { REDACTED };

const MAX_DEPTH = 8;

export const isSensitiveKey = (key: string): boolean => SENSITIVE_KEY.test(key);

const isSensitiveQueryName = (name: string): boolean =>
  SENSITIVE_KEY.test(name) || SENSITIVE_QUERY_NAME.test(name);

/**
 * What every pattern above needs: a `bearer`/`basic`, a URL's `@` or a query's `?`, `&` or
 * `;`. A text without any (an id, a path, a status) is returned untouched after one scan
 * instead of three replacements.
 */
const MAY_CARRY_SECRET = /[?&;@]|bearer|basic/i;

const redactText = (text: string): string =>
  !MAY_CARRY_SECRET.test(text)
    ? text
    : text
        .replace(BEARER_IN_TEXT, `$1 ${REDACTED}`)
        .replace(URL_USER_INFO, `$1${REDACTED}@`)
        .replace(QUERY_PARAMETER, (parameter, separator: string, name: string) =>
          isSensitiveQueryName(name) ? `${separator}${name}=${REDACTED}` : parameter,
        );

/**
 * A JSON-safe copy of `value` with every sensitive field replaced by `[REDACTED]`; errors
 * become `{ name, message }`, bigints strings, cycles `[Circular]`.
 */
export function redact(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "string") return redactText(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_DEPTH) return "[Truncated]";
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1, seen));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSensitiveKey(key) ? REDACTED : redact(item, depth + 1, seen);
  }
  return copy;
}

/**
 * One field of a log line as {@link redact} would give it, without copying what needs no
 * copy: a sensitive name is `[REDACTED]`, a number or boolean is itself, a text is scanned
 * only where it can carry a secret, and only objects are walked.
 */
export function redactField(key: string, value: unknown): unknown {
  if (isSensitiveKey(key)) return REDACTED;
  if (typeof value === "string") return redactText(value);
  if (typeof value === "number" || typeof value === "boolean" || value === undefined) return value;
  return redact(value, 1);
}

export function redactFields(fields: LogFields): Record<string, unknown> {
  const redacted = redact(fields);
  return typeof redacted === "object" && redacted !== null && !Array.isArray(redacted)
    ? (redacted as Record<string, unknown>)
    : {};
}

/**
 * Loggers that pass every line through {@link redactFields} themselves. Private to this
 * package (not exported from the index): a logger that merely claimed it would switch the
 * safety net off. A WeakSet, so that a marked logger's lifetime is its owner's.
 */
const redactingLoggers = new WeakSet<Logger>();

/** Records that `logger` redacts every line itself; returns it. */
export function markAsRedacting<L extends Logger>(logger: L): L {
  redactingLoggers.add(logger);
  return logger;
}

/**
 * Wraps any {@link Logger} so that what reaches it has passed {@link redact}. A logger that
 * already redacts every line (`createJsonLogger`, or one this returned) is returned as it
 * is: one pass per line is enough, and a second would copy every line's fields again.
 */
export function withRedaction(logger: Logger): Logger {
  if (redactingLoggers.has(logger)) return logger;
  return markAsRedacting({
    log: (level, event, fields = {}) => logger.log(level, event, redactFields(fields)),
  });
}
