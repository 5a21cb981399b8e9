import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

export interface ListenOptions {
  readonly port: number;
  readonly hostname: string;
  /**
   * How long `close()` lets requests in flight finish before it cuts their connections.
   * A request cut mid-send may still be delivered by the provider while its client sees a
   * reset, so this should cover a send with its retries. Default 15 000 ms.
   */
  readonly closeGraceMs?: number;
}

export interface RunningServer {
  readonly url: string;
  /** Stops accepting connections, lets requests in flight finish (see `closeGraceMs`), then resolves. */
  close(): Promise<void>;
}

/** Serves a Hono app with `@hono/node-server`; port 0 picks a free port. */
export function listen(app: FetchApp, options: ListenOptions): Promise<RunningServer> {
  const { port, hostname, closeGraceMs = 15_000 } = options;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      server.off("error", reject);
      const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            const cut = setTimeout(() => {
              if ("closeAllConnections" in server) server.closeAllConnections();
            }, closeGraceMs);
            cut.unref();
            server.close((error) => {
              clearTimeout(cut);
              if (error) fail(error);
              else done();
            });
            // Idle keep-alive sockets would otherwise hold close() open until they time out.
            if ("closeIdleConnections" in server) server.closeIdleConnections();
          }),
      });
    });
    server.once("error", reject);
  });
}
