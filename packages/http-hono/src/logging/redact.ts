import type { LogFields, Logger } from "@replykit/core";

/**
 * Field names whose values are never logged, whatever the nesting. The use case never logs
 * a credential; this is the safety net for the code that someone adds later.
 */
const SENSITIVE_KEY =
  /authorization|token|api[-_]?key|secret|password|passwd|credential|cookie|private[-_]?key|signature/i;

/** A credential that slipped into a text, e.g. a header quoted in an error message. */
const BEARER_IN_TEXT = /\b(bearer|basic)\s+[^\s"',;]+/gi;

export const REDACTED = "[REDACTED]";
const MAX_DEPTH = 8;

export const isSensitiveKey = (key: string): boolean => SENSITIVE_KEY.test(key);

const redactText = (text: string): string => text.replace(BEARER_IN_TEXT, `$1 ${REDACTED}`);

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

export function redactFields(fields: LogFields): Record<string, unknown> {
  const redacted = redact(fields);
  return typeof redacted === "object" && redacted !== null && !Array.isArray(redacted)
    ? (redacted as Record<string, unknown>)
    : {};
}

/** Wraps any {@link Logger} so that what reaches it has passed {@link redact}. */
export function withRedaction(logger: Logger): Logger {
  return {
    log: (level, event, fields = {}) => logger.log(level, event, redactFields(fields)),
  };
}
