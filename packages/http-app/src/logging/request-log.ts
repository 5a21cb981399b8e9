import type { Clock, Logger } from "@replykit/core";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../routes/app-env.js";
import { loggablePath } from "./loggable-path.js";

/**
 * Logs one `http.request` line per request: method, path (never the query string, which
 * may carry secrets, nor a webhook path's secret segment), status, durationMs, requestId and, for errors, the envelope's code.
 * No header is logged. A handler adds its own fields with the `logFields` variable (a sent
 * message's ids), so that a request is one line.
 */
export const requestLog = (logger: Logger, clock: Clock) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const startedAt = clock.now();
    await next();
    const status = c.res.status;
    const errorCode = c.get("errorCode");
    const logFields = c.get("logFields");
    // A 503 is the server refusing (overloaded, shutting down) as designed, not a fault.
    const level = status >= 500 && status !== 503 ? "error" : status >= 400 ? "warn" : "info";
    logger.log(level, "http.request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: loggablePath(c.req.path),
      status,
      durationMs: clock.now() - startedAt,
      ...(errorCode === undefined ? {} : { errorCode }),
      ...logFields,
    });
  });
