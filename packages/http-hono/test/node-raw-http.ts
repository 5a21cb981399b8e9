import { connect, type Socket } from "node:net";

/** An HTTP/1.1 answer as it came over the wire. */
export interface RawResponse {
  readonly status: number;
  /** Lower-cased names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * A client socket that writes whatever a test wants, byte for byte, and records what the
 * server sends back and whether (and when) the server closed the connection.
 */
export interface RawClient {
  readonly socket: Socket;
  write(text: string | Uint8Array): Promise<void>;
  /** The next complete answer (headers, then `Content-Length` bytes of body). */
  response(timeoutMs?: number): Promise<RawResponse>;
  /** Resolves when the server has closed the connection (end or reset). */
  readonly closed: Promise<void>;
  destroy(): void;
}

export async function rawClient(url: string): Promise<RawClient> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  let buffer = Buffer.alloc(0);
  let notify: (() => void) | undefined;
  let ended = false;
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    notify?.();
  });
  // A reset after the server's answer is one way of closing; the test reads `closed`.
  socket.on("error", () => undefined);
  const closed = new Promise<void>((resolve) => {
    const done = () => {
      ended = true;
      notify?.();
      resolve();
    };
    socket.once("end", done);
    socket.once("close", done);
  });

  const parse = (): RawResponse | undefined => {
    const headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0) return undefined;
    const [statusLine = "", ...lines] = buffer
      .subarray(0, headEnd)
      .toString("latin1")
      .split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? "0");
    const bodyStart = headEnd + 4;
    if (buffer.length < bodyStart + length) return undefined;
    const body = buffer.subarray(bodyStart, bodyStart + length).toString("utf8");
    buffer = buffer.subarray(bodyStart + length);
    return { status: Number(statusLine.split(" ")[1]), headers, body };
  };

  return {
    socket,
    write: (text) =>
      new Promise<void>((resolve, reject) => {
        socket.write(text, (error) => (error ? reject(error) : resolve()));
      }),
    response: (timeoutMs = 5_000) =>
      new Promise<RawResponse>((resolve, reject) => {
        const timer = setTimeout(() => {
          notify = undefined;
          reject(new Error(`no complete answer within ${timeoutMs} ms; got ${buffer.toString()}`));
        }, timeoutMs);
        const attempt = () => {
          const parsed = parse();
          if (parsed !== undefined) {
            clearTimeout(timer);
            notify = undefined;
            resolve(parsed);
          } else if (ended) {
            clearTimeout(timer);
            notify = undefined;
            reject(
              new Error(`connection closed before a complete answer; got ${buffer.toString()}`),
            );
          }
        };
        notify = attempt;
        attempt();
      }),
    closed,
    destroy: () => socket.destroy(),
  };
}

/** The head of a request with the given headers, CRLF-terminated, ready for its body. */
export function requestHead(
  method: string,
  path: string,
  headers: Readonly<Record<string, string>>,
): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `${method} ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`;
}

/** One chunk of a `Transfer-Encoding: chunked` body. */
export const chunk = (data: string) => `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;

export const LAST_CHUNK = "0\r\n\r\n";
