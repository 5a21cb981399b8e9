import { createRoute } from "@hono/zod-openapi";
import type { ButtonMessageInput, Principal, SendButtonsCommand } from "@replykit/core";
import type { MiddlewareHandler } from "hono";
import { requireBearer } from "../auth/bearer.js";
import { ErrorEnvelopeSchema } from "../http-errors/envelope.js";
import type { AppEnv } from "./app-env.js";
import { jsonBody } from "./json-body.js";
import type { NativeRequestAccess } from "./native-request.js";
import {
  SendButtonsHeadersSchema,
  type SendButtonsRequest,
  SendButtonsRequestSchema,
  SendButtonsResponseSchema,
} from "./schemas.js";

export const SEND_BUTTONS_PATH = "/messages/interactive/send-buttons";

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorEnvelopeSchema } },
});

/** What runs before the body is read: the in-flight bound, then the token's check. */
export interface SendButtonsGuards {
  readonly limitInFlight: MiddlewareHandler<AppEnv>;
  readonly authenticate: MiddlewareHandler<AppEnv>;
  /** The runtime's own request, to read the body from (see {@link NativeRequestAccess}). */
  readonly native?: NativeRequestAccess | undefined;
}

/**
 * The contract's endpoint, described once for routing, validation, OpenAPI and `hc`. Its
 * middleware runs cheapest refusal first: over capacity (503), no or malformed bearer
 * (401), too many failed tokens (429) or a bad token (401) — then, only for a caller
 * known, the body is read and parsed.
 */
export const sendButtonsRoute = (maxBodyBytes: number, guards: SendButtonsGuards) =>
  createRoute({
    method: "post",
    path: SEND_BUTTONS_PATH,
    operationId: "sendButtons",
    summary: "Send a message with up to 3 reply buttons",
    description:
      "Sends a message with up to 3 reply buttons. Supported on WhatsApp, Z-API, and ZapperAPI.",
    tags: ["Interactive Messages"],
    security: [{ bearerAuth: [] }],
    middleware: [
      guards.limitInFlight,
      requireBearer,
      guards.authenticate,
      jsonBody(maxBodyBytes, guards.native),
    ] as const,
    request: {
      headers: SendButtonsHeadersSchema,
      body: {
        required: true,
        content: { "application/json": { schema: SendButtonsRequestSchema } },
      },
    },
    responses: {
      200: {
        description: "The provider accepted the message.",
        content: { "application/json": { schema: SendButtonsResponseSchema } },
      },
      400: errorResponse(
        "Invalid request body (every issue names its field; button_4_* or beyond carries providerCode 131009).",
      ),
      401: errorResponse("Invalid or missing API key."),
      429: errorResponse(
        "too_many_auth_failures: this client sent too many invalid tokens; retry after Retry-After.",
      ),
      403: errorResponse("Agent does not belong to your organization."),
      404: errorResponse("Conversation or agent not found."),
      409: errorResponse(
        "idempotency_key_in_progress: a request with this Idempotency-Key is still in progress; retry later. idempotency_outcome_unknown: the first request with this Idempotency-Key failed after it may have delivered the message; check whether it arrived before sending again, with a new key.",
      ),
      422: errorResponse("This Idempotency-Key was already used for a different request."),
      500: errorResponse(
        "WhatsApp API (provider) error, with provider, providerCode, retryable and, when the message may have been delivered anyway, deliveryUnknown: true; or an internal error.",
      ),
      503: errorResponse(
        "overloaded: the server is at its bound of sends in flight and sent nothing; retry after Retry-After. shutting_down: the server is stopping; deliveryUnknown: true when the send was cut after it started.",
      ),
    },
  });

export type SendButtonsRoute = ReturnType<typeof sendButtonsRoute>;

/** The route as `GET /openapi.json` describes it: everything but the middleware. */
export function documentedRoute({ middleware: _middleware, ...route }: SendButtonsRoute) {
  return route;
}

/**
 * The route as it is routed: the same, without its request (body and headers), so that
 * @hono/zod-openapi adds neither its media-type gate nor a validator. The body validator
 * would read the body again (`c.req.json()`) and parse it a second time, after `jsonBody`
 * has read it within the size limit and parsed it; the header validator would copy every
 * header of the request into an object to validate two. The handler validates both
 * against `SendButtonsHeadersSchema` and `SendButtonsRequestSchema` instead. `hide`:
 * {@link documentedRoute} is registered in its place, with both. The type stays the
 * documented route's, on purpose: `hc` clients are typed by what clients send, which is
 * the documented request.
 */
export function routedWithoutValidators<R extends SendButtonsRoute>(route: R): R {
  const { request: _request, ...routed } = route;
  return { ...routed, hide: true } as unknown as R;
}

/** The flat fields of the contract as the core's message input. */
export function toMessageInput(body: SendButtonsRequest): ButtonMessageInput {
  const pairs = [
    [body.button_1_id, body.button_1_title],
    [body.button_2_id, body.button_2_title],
    [body.button_3_id, body.button_3_title],
  ] as const;
  // The schema guarantees pairs without gaps, so the kept buttons are numbered as given.
  const buttons = pairs.flatMap(([id, title]) =>
    id === undefined || title === undefined ? [] : [{ id, title }],
  );
  return {
    header: body.header_text,
    body: body.body_text,
    footer: body.footer_text,
    buttons,
  };
}

export function toCommand(
  body: SendButtonsRequest,
  context: {
    principal: Principal;
    idempotencyKey: string | undefined;
    requestId: string;
    signal: AbortSignal | undefined;
    callerSignal: { readonly aborted: boolean } | undefined;
  },
): SendButtonsCommand {
  return {
    principal: context.principal,
    signal: context.signal,
    callerSignal: context.callerSignal,
    agentId: body.agentId,
    conversationId: body.conversationId,
    message: toMessageInput(body),
    idempotencyKey: context.idempotencyKey,
    requestId: context.requestId,
  };
}
