import { OpenAPIHono } from "@hono/zod-openapi";
import { runSendButtons, type SendButtonsDeps, type SendButtonsOutcome } from "@replykit/core";
import type { Context } from "hono";
import type { FieldIssue } from "./http-errors/envelope.js";
import {
  fromSendButtonsError,
  internalError,
  invalidRequest,
  routeNotFound,
} from "./http-errors/http-error.js";
import { respondWithError } from "./http-errors/respond.js";
import { withRedaction } from "./logging/redact.js";
import { requestId } from "./logging/request-id.js";
import { requestLog } from "./logging/request-log.js";
import type { AppEnv } from "./routes/app-env.js";
import { bodyIssues, headerIssues } from "./routes/body-issues.js";
import { fieldIssuesOf } from "./routes/fields.js";
import { DEFAULT_MAX_BODY_BYTES } from "./routes/json-body.js";
import { sendButtonsRoute, toCommand } from "./routes/send-buttons.js";

export interface OpenApiInfo {
  readonly title?: string;
  readonly version?: string;
  readonly description?: string;
  /** Base URLs shown in the document, e.g. `[{ url: "https://api.example.com" }]`. */
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
}

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
}

function describeDefect(error: unknown): Record<string, string> {
  return error instanceof Error
    ? { errorName: error.name, errorMessage: error.message }
    : { errorName: typeof error };
}

/**
 * The replykit HTTP app: `POST /messages/interactive/send-buttons` (the contract of
 * `spec/send-buttons.md`) and `GET /openapi.json` (OpenAPI 3.1, from the same zod schemas).
 * Web-standard only: serve it with `@hono/node-server`, Bun, Deno or Cloudflare Workers.
 */
export function createApp(deps: AppDeps) {
  const logger = withRedaction(deps.logger);
  const useCaseDeps: SendButtonsDeps = { ...deps, logger };
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes <= 0) {
    throw new Error(`maxBodyBytes must be a positive integer, not ${maxBodyBytes}`);
  }

  const logDefect = (c: Context<AppEnv>, error: unknown) =>
    logger.log("error", "http.unhandled_error", {
      requestId: c.get("requestId"),
      method: c.req.method,
      path: c.req.path,
      ...describeDefect(error),
    });

  const app = new OpenAPIHono<AppEnv>();
  app.use("*", requestId(deps.newRequestId));
  app.use("*", requestLog(logger, deps.clock));
  app.notFound((c) => respondWithError(c, routeNotFound(c.get("requestId"))));
  app.onError((error, c) => {
    logDefect(c, error);
    return respondWithError(c, internalError(c.get("requestId")));
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "An API key or a session token: `Authorization: Bearer <token>`.",
  });

  const routes = app
    .openapi(
      sendButtonsRoute(maxBodyBytes),
      async (c) => {
        const body = c.req.valid("json");
        const headers = c.req.valid("header");
        const requestIdValue = c.get("requestId");
        const command = toCommand(body, {
          token: c.get("bearerToken"),
          idempotencyKey: headers["Idempotency-Key"],
          requestId: requestIdValue,
        });
        let outcome: SendButtonsOutcome;
        try {
          outcome = await runSendButtons(useCaseDeps, command);
        } catch (defect) {
          logDefect(c, defect);
          return respondWithError(c, internalError(requestIdValue));
        }
        if (outcome.ok) return c.json(outcome.value, 200);
        if (outcome.error._tag === "ChannelNotConfigured") {
          // A deployment mistake the answer does not detail: the operator needs the connection.
          logger.log("error", "http.channel_not_configured", {
            requestId: requestIdValue,
            channelConnectionId: outcome.error.channelConnectionId,
          });
        }
        const buttonCount = command.message.buttons.length;
        return respondWithError(
          c,
          fromSendButtonsError(outcome.error, requestIdValue, (issues) =>
            fieldIssuesOf(issues, buttonCount),
          ),
        );
      },
      (result, c) => {
        if (result.success) return;
        const issues: FieldIssue[] =
          result.target === "header"
            ? headerIssues(result.error.issues)
            : bodyIssues(result.error.issues, c.get("jsonBody"));
        return respondWithError(c, invalidRequest(issues, c.get("requestId")));
      },
    )
    .doc31("/openapi.json", {
      openapi: "3.1.0",
      info: {
        title: deps.openapi?.title ?? "replykit",
        version: deps.openapi?.version ?? "0.1.0",
        description:
          deps.openapi?.description ??
          "Send WhatsApp interactive reply-button messages through WhatsApp Cloud API, Z-API or ZapperAPI.",
      },
      ...(deps.openapi?.servers === undefined
        ? {}
        : { servers: deps.openapi.servers.map((server) => ({ ...server })) }),
    });

  return routes;
}

/** The app's type, for a typed client: `hc<AppType>("https://api.example.com")`. */
export type AppType = ReturnType<typeof createApp>;
