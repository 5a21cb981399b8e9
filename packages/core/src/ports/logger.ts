export type LogLevel = "debug" | "info" | "warn" | "error";

export type LogFields = Readonly<Record<string, unknown>>;

/** Structured logging. The use case never passes tokens or credentials in `fields`. */
export interface Logger {
  log(level: LogLevel, event: string, fields?: LogFields): void;
}
