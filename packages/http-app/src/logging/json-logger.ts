import type { LogFields, Logger, LogLevel } from "@replykit/core";
import { markAsRedacting, redactField } from "./redact.js";

export interface JsonLoggerOptions {
  /** Where each line goes. Default `console.log`, which every runtime (Node, Workers…) collects. */
  readonly write?: (line: string) => void;
  /** Lines below this level are dropped. Default `"info"`. */
  readonly level?: LogLevel;
  /** Milliseconds since the epoch, for the `time` field. Default `Date.now`. */
  readonly now?: () => number;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A {@link Logger} that writes one JSON object per line:
 * `{"time":"…","level":"info","event":"http.request",…fields}`. Sensitive fields
 * (token, authorization, apiKey, secret, password…) are redacted before they are written.
 */
export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const write = options.write ?? ((line: string) => console.log(line));
  const threshold = RANK[options.level ?? "info"];
  const now = options.now ?? Date.now;
  // Marked: createApp then uses it as it is instead of redacting each line a second time.
  return markAsRedacting({
    log(level: LogLevel, event: string, fields: LogFields = {}): void {
      if (RANK[level] < threshold) return;
      const line: Record<string, unknown> = {
        time: new Date(now()).toISOString(),
        level,
        event,
      };
      // Each field redacted as it is copied into the line: no copy of the fields first.
      for (const key of Object.keys(fields)) {
        if (!(key in line)) line[key] = redactField(key, fields[key]);
      }
      write(JSON.stringify(line));
    },
  });
}
