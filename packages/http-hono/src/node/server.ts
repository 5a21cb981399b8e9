import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { serve } from "@hono/node-server";
import type { Logger } from "@replykit/core";
import { loggablePath } from "@replykit/http-app";

interface FetchApp {
  fetch(request: Request, env?: unknown): Response | Promise<Response>;
}

/**
 * The defaults of {@link ListenOptions}, chosen for a server behind a load balancer that
 * forwards whole requests quickly and keeps a pool of idle connections open to it.
 */
export const LISTEN_DEFAULTS = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  maxConnections: 1_000,
  closeGraceMs: 15_000,
  interruptGraceMs: 1_000,
} as const;

export interface ListenOptions {
  readonly port: number;
  readonly hostname: string;
  /**
   * How long a client may take to send a request's headers, in ms (Node's
   * `headersTimeout`); then Node answers 408 and closes the connection. A load balancer
   * sends headers at once; only a slow or hostile client (slowloris) takes seconds.
   * At most `requestTimeoutMs`. Default 10 000.
   */
  readonly headersTimeoutMs?: number;
  /**
   * How long a client may take to send a whole request, headers and body, in ms (Node's
   * `requestTimeout`); then Node answers 408 and closes the connection. Node's own default
   * is 300 s, for which a client trickling its body holds a socket; a send-buttons body is
   * at most a few KiB. The time the server takes to answer does not count. Default 30 000.
   */
  readonly requestTimeoutMs?: number;
  /**
   * How long an idle keep-alive connection stays open, in ms (Node's `keepAliveTimeout`).
   * It must exceed the load balancer's idle timeout (AWS ALB 60 s, nginx `keepalive_timeout`
   * 60 s), so that the balancer, never the server, closes an idle connection: otherwise it
   * may send a request on a connection the server is closing at that moment, and answer its
   * client 502. Node's own default is 5 s. Raise it behind a balancer that keeps connections
   * longer (Google Cloud's: 600 s, so 620 000). Default 65 000.
   */
  readonly keepAliveTimeoutMs?: number;
  /**
   * Open connections at most (Node's `maxConnections`); a connection beyond them is closed
   * as soon as it is accepted, and logged as `http.connection_dropped`. A bound on sockets
   * and their buffers, not on work; keep it under the process's file descriptor limit
   * (`ulimit -n`) less the provider transport's sockets. `Infinity` for none. Default 1 000.
   */
  readonly maxConnections?: number;
  /**
   * How long `close()` lets requests in flight finish, in ms, before it interrupts them
   * (see `interrupt`) and cuts their connections. A request cut mid-send may still be
   * delivered by the provider, so this should cover a send with its retries.
   * Default 15 000.
   */
  readonly closeGraceMs?: number;
  /**
   * Aborted by `close()` when `closeGraceMs` has passed with requests still in flight: the
   * app (`shutdownSignal` of `createConfiguredApp`) then stops their sends, records what they
   * leave unknown, and answers them. Without it, those requests are cut as they are.
   */
  readonly interrupt?: AbortController;
  /**
   * After `interrupt` is aborted, how long the interrupted requests have to write their
   * answers before their connections are cut, in ms. Default 1 000.
   */
  readonly interruptGraceMs?: number;
  /**
   * Where the server logs what never reaches the app: requests Node refuses itself (408,
   * 431, 400), dropped connections, and the steps of `close()`. Default: not logged.
   */
  readonly logger?: Logger;
}

/** What `close()` did. */
export interface CloseReport {
  /** Requests in flight when `close()` began. */
  readonly inFlightAtClose: number;
  /** Whether every request in flight finished within `closeGraceMs`. */
  readonly drained: boolean;
  /** Requests still in flight when `closeGraceMs` ran out, for which `interrupt` was aborted. */
  readonly interrupted: number;
  /** Requests whose connection was cut before they were answered. */
  readonly cut: number;
  readonly durationMs: number;
}

export interface RunningServer {
  readonly url: string;
  /**
   * Stops accepting connections, closes idle keep-alive connections, and lets requests in
   * flight finish (each answered with `Connection: close`) for up to `closeGraceMs`. If some
   * are still running then, aborts `interrupt` and gives them `interruptGraceMs` to answer.
   * Then cuts every connection left and resolves: in at most
   * `closeGraceMs + interruptGraceMs` and a few milliseconds, whatever the app does.
   * Calling it again returns the same promise.
   */
  close(): Promise<CloseReport>;
}

/** What Node itself would answer to a request it refuses before the app sees it. */
function clientErrorAnswer(code: string | undefined) {
  switch (code) {
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, text: "Request Timeout", errorCode: "request_timeout" };
    case "HPE_HEADER_OVERFLOW":
      return {
        status: 431,
        text: "Request Header Fields Too Large",
        errorCode: "headers_too_large",
      };
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return { status: 413, text: "Payload Too Large", errorCode: "chunk_extensions_too_large" };
    default:
      return { status: 400, text: "Bad Request", errorCode: "bad_request" };
  }
}

function positive(name: string, value: number, allowInfinity = false): number {
  const valid = (Number.isSafeInteger(value) && value > 0) || (allowInfinity && value === Infinity);
  if (!valid) throw new RangeError(`${name} must be a positive integer, not ${value}`);
  return value;
}

const pathOf = (url: string | undefined) => loggablePath((url ?? "").split("?")[0] ?? "");

/** Serves a Hono app with `@hono/node-server`; port 0 picks a free port. */
export function listen(app: FetchApp, options: ListenOptions): Promise<RunningServer> {
  const { port, hostname, logger, interrupt } = options;
  const headersTimeout = positive(
    "headersTimeoutMs",
    options.headersTimeoutMs ?? LISTEN_DEFAULTS.headersTimeoutMs,
  );
  const requestTimeout = positive(
    "requestTimeoutMs",
    options.requestTimeoutMs ?? LISTEN_DEFAULTS.requestTimeoutMs,
  );
  if (headersTimeout > requestTimeout) {
    throw new RangeError(
      `headersTimeoutMs (${headersTimeout}) must not exceed requestTimeoutMs (${requestTimeout})`,
    );
  }
  const keepAliveTimeout = positive(
    "keepAliveTimeoutMs",
    options.keepAliveTimeoutMs ?? LISTEN_DEFAULTS.keepAliveTimeoutMs,
  );
  const maxConnections = positive(
    "maxConnections",
    options.maxConnections ?? LISTEN_DEFAULTS.maxConnections,
    true,
  );
  const closeGraceMs = positive(
    "closeGraceMs",
    options.closeGraceMs ?? LISTEN_DEFAULTS.closeGraceMs,
  );
  const interruptGraceMs = positive(
    "interruptGraceMs",
    options.interruptGraceMs ?? LISTEN_DEFAULTS.interruptGraceMs,
  );

  // Work in flight: app handlers still running (a handler may outlive its client's
  // connection, and it is the handler that sends) and responses not yet fully written.
  let handlers = 0;
  const responses = new Set<ServerResponse>();
  // The response in progress on each connection, for what a `clientError` interrupts.
  const current = new WeakMap<Duplex, ServerResponse>();
  let closing = false;
  let onSettled: (() => void) | undefined;
  const inFlight = () => Math.max(handlers, responses.size);
  const settled = () => {
    if (inFlight() === 0) onSettled?.();
  };

  const fetch = async (request: Request, env?: unknown) => {
    handlers += 1;
    try {
      return await app.fetch(request, env);
    } finally {
      handlers -= 1;
      settled();
    }
  };

  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch,
        port,
        hostname,
        serverOptions: {
          headersTimeout,
          requestTimeout,
          keepAliveTimeout,
          // Node enforces the two timeouts in a sweep that runs every 30 s by default, which
          // would let a request overrun its timeout by up to 30 s.
          connectionsCheckingInterval: Math.max(1, Math.min(1_000, Math.floor(headersTimeout / 4))),
        },
      },
      (info: AddressInfo) => {
        server.off("error", reject);
        const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
        let closed: Promise<CloseReport> | undefined;
        resolve({
          url: `http://${host}:${info.port}`,
          close: () => {
            closed ??= close();
            return closed;
          },
        });
      },
    ) as Server;
    server.maxConnections = maxConnections;
    server.once("error", reject);

    server.on("request", (request: IncomingMessage, response: ServerResponse) => {
      responses.add(response);
      current.set(request.socket, response);
      // While closing, every answer closes its connection, so none is left idle to cut.
      if (closing) response.setHeader("Connection", "close");
      response.once("close", () => {
        responses.delete(response);
        if (current.get(request.socket) === response) current.delete(request.socket);
        settled();
      });
    });

    // Once listened to, Node leaves a refused request to us: answer as Node would, then
    // log it like any request, which it never becomes.
    server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
      if (error.code === "ECONNRESET") {
        // The client is gone; no answer, and nothing it asked went unlogged.
        socket.destroy();
        return;
      }
      const answer = clientErrorAnswer(error.code);
      const response = current.get(socket);
      // An answer already begun must not be corrupted by another one.
      if (socket.writable && (response === undefined || !response.headersSent)) {
        socket.write(`HTTP/1.1 ${answer.status} ${answer.text}\r\nConnection: close\r\n\r\n`);
      }
      socket.destroy();
      logger?.log("warn", "http.request", {
        status: answer.status,
        errorCode: answer.errorCode,
        reason: error.code ?? error.message,
        ...(response === undefined
          ? {}
          : { method: response.req.method, path: pathOf(response.req.url) }),
      });
    });

    // One line per second at most: a connection flood must not become a log flood.
    let dropped = 0;
    let dropWindow: NodeJS.Timeout | undefined;
    const logDropped = () => {
      if (dropped === 0) return;
      logger?.log("warn", "http.connection_dropped", { dropped, maxConnections });
      dropped = 0;
    };
    server.on("drop", () => {
      dropped += 1;
      if (dropWindow !== undefined) return;
      logDropped();
      dropWindow = setTimeout(() => {
        dropWindow = undefined;
        logDropped();
      }, 1_000);
      dropWindow.unref();
    });

    const sleep = (ms: number) =>
      new Promise<void>((done) => {
        setTimeout(done, ms).unref();
      });
    const settledWithin = (ms: number) =>
      new Promise<boolean>((done) => {
        if (inFlight() === 0) return done(true);
        const timer = setTimeout(() => {
          onSettled = undefined;
          done(false);
        }, ms);
        timer.unref();
        onSettled = () => {
          clearTimeout(timer);
          onSettled = undefined;
          done(true);
        };
      });

    const close = async (): Promise<CloseReport> => {
      const startedAt = Date.now();
      closing = true;
      const inFlightAtClose = inFlight();
      const stopped = new Promise<void>((done) => {
        server.close(() => done());
      });
      for (const response of responses) {
        if (!response.headersSent) response.setHeader("Connection", "close");
      }
      server.closeIdleConnections();
      logger?.log("info", "server.closing", { inFlight: inFlightAtClose, closeGraceMs });

      const drained = await settledWithin(closeGraceMs);
      let interrupted = 0;
      if (!drained) {
        interrupted = inFlight();
        logger?.log("warn", "server.grace_expired", { inFlight: interrupted, closeGraceMs });
        if (interrupt !== undefined) {
          interrupt.abort(new Error("the server is shutting down"));
          await settledWithin(interruptGraceMs);
        }
      }
      const cut = [...responses].filter((response) => !response.writableFinished).length;
      // Left now: connections with a request cut short, or with half a request (whose
      // client gets a reset before anything was done for it), or idle again.
      server.closeAllConnections();
      // Destroyed sockets close within a tick or two; the bound keeps close() bounded.
      await Promise.race([stopped, sleep(100)]);
      const report = {
        inFlightAtClose,
        drained,
        interrupted,
        cut,
        durationMs: Date.now() - startedAt,
      };
      logger?.log(cut > 0 ? "warn" : "info", "server.closed", { ...report });
      return report;
    };
  });
}
