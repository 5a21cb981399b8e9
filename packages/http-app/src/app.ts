import type { Logger, SendButtonsDeps } from "@replykit/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { Hono } from "hono/tiny";
import { authenticateCaller, type ClientAddress, callerCheck } from "./auth/authenticate-caller.js";
import { requireBearer } from "./auth/bearer.js";
import { answerHeaders } from "./http-errors/complete-response.js";
import { fromClientErrorStatus, internalError, routeNotFound } from "./http-errors/http-error.js";
import { respondWithError } from "./http-errors/respond.js";
import { type AuthFailureLimit, AuthFailureLimiter } from "./limits/auth-failure-limiter.js";
import { DEFAULT_MAX_IN_FLIGHT_SENDS, InFlightBound } from "./limits/in-flight.js";
import { loggablePath } from "./logging/loggable-path.js";
import { withRedaction } from "./logging/redact.js";
import { requestLog } from "./logging/request-log.js";
import type { AppEnv } from "./routes/app-env.js";
import { mountHealth } from "./routes/health.js";
import { DEFAULT_MAX_BODY_BYTES } from "./routes/json-body.js";
import { mountMessages } from "./routes/messages.js";
import type { CallerPresence, NativeRequestAccess } from "./routes/native-request.js";
import { mountOpenApi, type OpenApiInfo } from "./routes/openapi.js";
import { SEND_BUTTONS_PATH, sendButtonsHandler } from "./routes/send-buttons.js";
import { mountWebhooks, type WebhookDeps } from "./routes/webhooks.js";

export type { OpenApiInfo } from "./routes/openapi.js";

/**
 * What {@link createApp} needs: the use case's ports (see `SendButtonsDeps` in
 * `@replykit/core`) plus the HTTP layer's own options.
 */
export interface AppDeps extends SendButtonsDeps {
  /** Largest accepted request body, in bytes; larger is a 400. Default 65 536 (64 KiB). */
  readonly maxBodyBytes?: number;
  /** Makes a request id when the caller sends no sane `X-Request-Id`. Default `crypto.randomUUID`. */
  readonly newRequestId?: () => string;
  /** The `info` and `servers` of `GET /openapi.json`. */
  readonly openapi?: OpenApiInfo;
  /**
   * Most send requests handled at once; beyond it a request is answered 503 with
   * `Retry-After` at once, nothing read or sent. Default {@link DEFAULT_MAX_IN_FLIGHT_SENDS}.
   */
  readonly maxInFlightSends?: number;
  /** Failed authentications allowed per client before 429. See {@link AuthFailureLimit}. */
  readonly authFailureLimit?: AuthFailureLimit;
  /**
   * Names the client of a request, for the failed-authentication limit; `undefined` leaves
   * a request uncounted. Default: none, no client is counted. The Node server passes the
   * socket's address; behind a proxy, {@link addressFromHeader} with the header it sets.
   */
  readonly clientAddress?: ClientAddress;
  /**
   * Aborted when the server stops: every send in flight is cut short at once and answered
   * 503 `shutting_down`; a key whose send had started is kept as outcome unknown.
   */
  readonly shutdownSignal?: AbortSignal;
  /**
   * The inbound side: with it, `GET`/`POST /webhooks/{connectionId}[/{secret}]` receive the
   * providers' webhooks, and `GET /messages/{messageId}` answers a message's status and
   * replies from `webhooks.messageLog` (give the same log as `messageLog`, so that sends
   * are recorded in it).
   */
  readonly webhooks?: WebhookDeps;
  /**
   * What `GET /readyz` checks beyond shutdown: resolves when the stores and the
   * configuration are usable. `GET /healthz` answers 200 whenever the process does.
   */
  readonly readiness?: () => Promise<void>;
  /**
   * The runtime's own request, read instead of the Web-standard `Request` where that costs
   * (see {@link NativeRequestAccess}): the Node server passes `nodeRequestAccess`. Default:
   * none, everything is read from the `Request`.
   */
  readonly native?: NativeRequestAccess;
}

/** The use case's line for a message sent, which the app folds into `http.request`. */
const SENT_EVENT = "send_buttons.sent";

/** `logger` without the lines of one event. */
const withoutLine = (logger: Logger, event: string): Logger => ({
  log: (level, name, fields) => {
    if (name !== event) logger.log(level, name, fields);
  },
});

function describeDefect(error: unknown): Record<string, string> {
  return error instanceof Error
    ? { errorName: error.name, errorMessage: error.message }
    : { errorName: typeof error };
}

/**
 * The replykit HTTP app: `POST /messages/interactive/send-buttons` (the contract of
 * `spec/send-buttons.md`) and `GET /openapi.json` (OpenAPI 3.1, generated at build time from
 * the same zod schemas).
 * Web-standard only: serve it with `@hono/node-server`, Bun, Deno or Cloudflare Workers.
 */
export function createApp(deps: AppDeps) {
  // A logger that redacts every line itself (createJsonLogger) is used as it is; any other
  // is wrapped, so that no line reaches it unredacted and none is redacted twice.
  const logger = withRedaction(deps.logger);
  // One line per request sent: the use case's `send_buttons.sent` is not written, its fields
  // go on the request's `http.request` line (see `logFields` below). Every other line is.
  const useCaseDeps: SendButtonsDeps = { ...deps, logger: withoutLine(logger, SENT_EVENT) };
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new Error(`maxBodyBytes must be a positive integer, not ${maxBodyBytes}`);
  }

  const callerOf = (c: Context<AppEnv>): CallerPresence =>
    deps.native?.caller?.(c.env) ?? c.req.raw.signal;

  const logDefect = (c: Context<AppEnv>, error: unknown) =>
    logger.log("error", "http.unhandled_error", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: loggablePath(c.req.path),
      ...describeDefect(error),
    });

  // hono/tiny: the pattern router, a few hundred bytes, instead of the default's RegExp and
  // trie routers (some 6 KiB of a Workers bundle). For a dozen routes it matches in about
  // 0.2 µs where those take 0.02 µs — nothing beside the rest of a request.
  const app = new Hono<AppEnv>();
  // The request id and the security headers (hono's secureHeaders defaults), on every
  // answer: set with the others on an answer of completeJson, added to any other.
  app.use("*", answerHeaders(deps.newRequestId, deps.native));
  // Before the access log: probes every few seconds would drown it.
  mountHealth(app, {
    readiness: deps.readiness,
    shutdownSignal: deps.shutdownSignal,
    logger,
  });
  app.use("*", requestLog(logger, deps.clock));
  app.notFound((c) => respondWithError(c, routeNotFound(c.get("requestId"))));
  app.onError((error, c) => {
    // A client error a middleware threw (hono's validators or body limit, an embedder's
    // own) is the client's, never a 500: same status family, our envelope. Only 5xx and
    // everything else are defects.
    if (error instanceof HTTPException && error.status < 500) {
      logger.log("warn", "http.client_error", {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: loggablePath(c.req.path),
        status: error.status,
        errorMessage: error.message,
      });
      return respondWithError(c, fromClientErrorStatus(error.status, c.get("requestId")));
    }
    logDefect(c, error);
    return respondWithError(c, internalError(c.get("requestId")));
  });
  mountOpenApi(app, deps.openapi);

  const limiter = new AuthFailureLimiter(deps.authFailureLimit ?? {}, deps.clock);
  const clientAddress = deps.clientAddress ?? (() => undefined);
  if (deps.webhooks !== undefined) {
    mountWebhooks(app, deps.webhooks, { clock: deps.clock, logger }, deps.native);
    mountMessages(app, deps.webhooks.messageLog, {
      bearer: requireBearer,
      authenticate: authenticateCaller(deps.authenticator, limiter, clientAddress),
    });
  }
  return app.post(
    SEND_BUTTONS_PATH,
    sendButtonsHandler({
      useCase: useCaseDeps,
      logger,
      inFlight: new InFlightBound(deps.maxInFlightSends ?? DEFAULT_MAX_IN_FLIGHT_SENDS),
      checkCaller: callerCheck(deps.authenticator, limiter, clientAddress),
      maxBodyBytes,
      native: deps.native,
      shutdownSignal: deps.shutdownSignal,
      callerOf,
      logDefect,
    }),
  );
}

/** The app's type, for a typed client: `hc<AppType>("https://api.example.com")`. */
export type AppType = ReturnType<typeof createApp>;
