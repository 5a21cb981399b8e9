import type { BoundedBody } from "./bounded-body.js";

/** What the use case reads of a caller: whether it has gone away (see `callerSignal`). */
export interface CallerPresence {
  readonly aborted: boolean;
}

/**
 * The runtime's own request, for what the Web-standard `Request` would cost to reach. On
 * `@hono/node-server`, reading `c.req.raw.body` or `c.req.raw.signal` makes the adapter
 * build a full `Request` (headers, a body stream, an `AbortController`) for every request;
 * the Node server gives these instead, read from its bindings (`c.env`). Each returns
 * `undefined` for bindings it does not know, and the app then falls back on the `Request`.
 */
export interface NativeRequestAccess {
  /** Reads at most `maxBytes` of the body, as `readBoundedBytes` does on a `Request`. */
  readBody?(env: unknown, maxBytes: number): Promise<BoundedBody> | undefined;
  /** Whether the client hung up before its answer was written. */
  caller?(env: unknown): CallerPresence | undefined;
  /**
   * The request's headers by case-insensitive name, each read as `Headers.get` reads it
   * (the values of a repeated header joined with ", "). On `@hono/node-server`, the first
   * `c.req.header()` builds a `Headers` of every header, each name and value validated.
   */
  headers?(env: unknown): HeaderReader | undefined;
}

/** A request header by case-insensitive name, or `undefined` when absent. */
export type HeaderReader = (name: string) => string | undefined;
