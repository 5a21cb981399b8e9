import type { Logger } from "@replykit/core";

/** The part of `process` that shutdown uses; a test passes an `EventEmitter`. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export interface ShutdownOptions {
  /** What shuts the server down, e.g. `StandaloneServer.close`. */
  readonly close: () => Promise<unknown>;
  readonly logger: Logger;
  /** Past this many ms after the signal, the process exits 1 whatever `close` is doing. */
  readonly deadlineMs: number;
  /** Default `process`. */
  readonly signals?: SignalSource;
  /** Default `process.exit`. */
  readonly exit?: (code: number) => void;
  /** Default `["SIGTERM", "SIGINT"]`. */
  readonly on?: readonly NodeJS.Signals[];
}

/**
 * On the first SIGTERM or SIGINT: logs `process.shutdown_started`, calls `close`, and exits 0
 * once it resolves (`process.exit`), 1 if it fails. A deadline timer exits 1 if `close` has
 * not finished within `deadlineMs`, so a stuck shutdown never outlives the orchestrator's
 * patience by surprise. A second signal exits 1 at once: someone wants it gone now.
 * Returns a function that removes the handlers.
 */
export function installShutdown(options: ShutdownOptions): () => void {
  const { close, logger, deadlineMs } = options;
  const signals = options.signals ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const names = options.on ?? (["SIGTERM", "SIGINT"] as const);
  let startedAt: number | undefined;
  let exited = false;
  const exitOnce = (code: number) => {
    if (exited) return;
    exited = true;
    exit(code);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (startedAt !== undefined) {
      logger.log("warn", "process.shutdown_forced", { signal });
      exitOnce(1);
      return;
    }
    startedAt = Date.now();
    const began = startedAt;
    logger.log("info", "process.shutdown_started", { signal, deadlineMs });
    const deadline = setTimeout(() => {
      logger.log("error", "process.shutdown_deadline_exceeded", {
        deadlineMs,
        durationMs: Date.now() - began,
      });
      exitOnce(1);
    }, deadlineMs);
    // The deadline alone must never keep the process alive.
    deadline.unref();
    close().then(
      () => {
        clearTimeout(deadline);
        logger.log("info", "process.exit", { code: 0, durationMs: Date.now() - began });
        exitOnce(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        logger.log("error", "process.shutdown_failed", {
          errorMessage: error instanceof Error ? error.message : String(error),
          durationMs: Date.now() - began,
        });
        exitOnce(1);
      },
    );
  };

  // Listened to for good: a second signal forces the exit instead of killing the process
  // mid-log (Node's default for a signal nobody listens to).
  for (const name of names) signals.on(name, onSignal);
  return () => {
    for (const name of names) signals.off(name, onSignal);
  };
}
