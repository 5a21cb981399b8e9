import type { LogFields, Logger, LogLevel } from "../ports/logger.js";

export interface LogEntry {
  readonly level: LogLevel;
  readonly event: string;
  readonly fields: LogFields;
}

/** Keeps every entry, so tests can assert what was logged (and what never was). */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  log(level: LogLevel, event: string, fields: LogFields = {}): void {
    this.entries.push({ level, event, fields });
  }

  events(): string[] {
    return this.entries.map((entry) => entry.event);
  }
}
