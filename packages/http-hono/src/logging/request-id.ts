import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../routes/app-env.js";

export const REQUEST_ID_HEADER = "X-Request-Id";

/** What a caller's request id may look like for us to reuse it in headers and logs. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const isSaneRequestId = (value: string | undefined): value is string =>
  value !== undefined && SANE_REQUEST_ID.test(value);

/**
 * Reuses the caller's `X-Request-Id` when it is a sane token, else makes one; stores it as
 * the `requestId` variable and echoes it on every response, errors included.
 */
export const requestId = (newRequestId: () => string = () => crypto.randomUUID()) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const incoming = c.req.header(REQUEST_ID_HEADER);
    const id = isSaneRequestId(incoming) ? incoming : newRequestId();
    c.set("requestId", id);
    await next();
    c.header(REQUEST_ID_HEADER, id);
  });
