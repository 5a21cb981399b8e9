/** Lines queued before a write is forced, whatever the turn: bounds the memory a burst takes. */
const MAX_QUEUED_LINES = 1_024;

export interface LineWriter {
  /** Queues one line (without its newline); it is written after the current turn. */
  write(line: string): void;
  /** Writes what is queued now. */
  flush(): void;
}

/**
 * Writes log lines in batches: the lines of one turn of the event loop go out in a single
 * write once it ends (`setImmediate`), or as soon as {@link MAX_QUEUED_LINES} are waiting.
 * A request's handler then never waits on the stream — `console.log` writes each line at
 * once, synchronously for a file or a pipe — and a burst of lines costs one write.
 */
export function batchedLineWriter(stream: { write(text: string): unknown }): LineWriter {
  let queued: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (queued.length === 0) return;
    const text = `${queued.join("\n")}\n`;
    queued = [];
    stream.write(text);
  };
  return {
    write(line) {
      queued.push(line);
      if (queued.length >= MAX_QUEUED_LINES) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

let stdout: LineWriter | undefined;

/**
 * The process's one batched writer to standard output, flushed when the process exits (a
 * write to a file or a pipe is synchronous then, so no line is lost to `process.exit`).
 */
export function stdoutLines(): LineWriter {
  if (stdout === undefined) {
    const writer = batchedLineWriter(process.stdout);
    process.once("exit", () => writer.flush());
    stdout = writer;
  }
  return stdout;
}
