import type { Context } from "hono";
import type { AppEnv } from "./app-env.js";

/**
 * A request header, read through the runtime's own request when the app was given a way
 * to (the `headerReader` variable, set first by `answerHeaders`), else through hono.
 */
export function requestHeader(c: Context<AppEnv>, name: string): string | undefined {
  // `c.get`, not `c.var`: hono builds `c.var` as a new object of every variable per access.
  const read = c.get("headerReader");
  return read === undefined ? c.req.header(name) : read(name);
}
