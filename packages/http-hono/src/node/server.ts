import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

interface FetchApp {
  fetch(request: Request): Response | Promise<Response>;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves a Hono app with `@hono/node-server`; port 0 picks a free port. */
export function listen(
  app: FetchApp,
  { port, hostname }: { port: number; hostname: string },
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info: AddressInfo) => {
      const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ("closeAllConnections" in server) server.closeAllConnections();
          }),
      });
    });
    server.once("error", reject);
  });
}
