import type { MiddlewareHandler } from "hono";
import { requestId as honoRequestId } from "hono/request-id";
import type { AppEnv } from "../routes/app-env.js";

export const REQUEST_ID_HEADER = "X-Request-Id";

/** What a caller's request id may look like for us to reuse it in headers and logs. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:=-]{1,128}$/;

export const isSaneRequestId = (value: string | undefined): value is string =>
  value !== undefined && SANE_REQUEST_ID.test(value);

/**
 * Hono's request-id middleware: the caller's `X-Request-Id` when it is a sane token, else a
 * fresh one, as the `requestId` variable and on every response, errors included. Hono takes
 * `[A-Za-z0-9_=-]`; the generator also keeps the `.` and `:` that tracing ids often carry.
 */
export const requestId = (
  newRequestId: () => string = () => crypto.randomUUID(),
): MiddlewareHandler<AppEnv> =>
  honoRequestId({
    headerName: REQUEST_ID_HEADER,
    limitLength: 128,
    generator: (c) => {
      const incoming = c.req.header(REQUEST_ID_HEADER);
      return isSaneRequestId(incoming) ? incoming : newRequestId();
    },
  });
