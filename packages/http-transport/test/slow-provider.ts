import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";

/** A provider on loopback that answers every request with `body` after `latencyMs`. */
export interface SlowProvider {
  /** `http://127.0.0.1:<port>`, set once the suite's `beforeAll` has run. */
  readonly baseUrl: string;
  /** Requests that reached it so far. */
  readonly received: number;
}

/** Starts one for the calling test file, and stops it after the file's tests. */
export function useSlowProvider(latencyMs: number, body: string): SlowProvider {
  const state = { baseUrl: "", received: 0 };
  const server = createServer((request, response) => {
    state.received += 1;
    request.resume();
    request.on("end", () => {
      setTimeout(() => {
        response.setHeader("content-type", "application/json");
        response.end(body);
      }, latencyMs);
    });
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return state;
}
