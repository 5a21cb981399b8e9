import type { IdempotencyConflict, Issue, SendButtonsError } from "@replykit/core";
import { WHOLE_BODY } from "../routes/fields.js";
import type { ErrorBody, ErrorEnvelope, FieldIssue } from "./envelope.js";

/**
 * The statuses an error can have: the contract's five, 409/422 for idempotency keys, 429
 * for a client that failed to authenticate too often, 503 for a server that is full or
 * shutting down.
 */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500 | 503;

/** An error answer, ready to send: its status, its envelope and any extra headers. */
export interface HttpError {
  readonly status: ErrorStatus;
  readonly envelope: ErrorEnvelope;
  readonly headers: Readonly<Record<string, string>>;
}

/** An error answer from its parts: the one way every answer of this module is made. */
export const httpErrorOf = (
  status: ErrorStatus,
  error: ErrorBody,
  headers: Readonly<Record<string, string>> = {},
): HttpError => ({ status, envelope: { error }, headers });
const httpError = httpErrorOf;

/** A body with thousands of unknown keys must not make an answer thousands of issues long. */
export const MAX_LISTED_ISSUES = 50;

/**
 * A 400 listing every issue (the first {@link MAX_LISTED_ISSUES}). The issue that carries a provider code (a 4th button, 131009)
 * comes first and gives the envelope its `code` and `providerCode`; the message lists all
 * issues, so it names every field even for a client that ignores `issues`.
 */
export function invalidRequest(issues: readonly FieldIssue[], requestId: string): HttpError {
  const ordered = [
    ...issues.filter((issue) => issue.providerCode !== undefined),
    ...issues.filter((issue) => issue.providerCode === undefined),
  ].slice(0, MAX_LISTED_ISSUES);
  const unlisted = issues.length - ordered.length;
  const first = ordered[0];
  return httpError(400, {
    type: "invalid_request",
    code: first?.code ?? "invalid_request",
    message:
      ordered.length === 0
        ? "the request is not valid"
        : ordered.map((issue) => issue.message).join("; ") +
          (unlisted > 0 ? `; and ${unlisted} more issues` : ""),
    requestId,
    ...(first?.providerCode === undefined ? {} : { providerCode: first.providerCode }),
    issues: ordered,
  });
}

export type UnauthorizedReason = "missing_token" | "malformed_authorization" | "invalid_token";

const UNAUTHORIZED: Record<UnauthorizedReason, { message: string; challenge: string }> = {
  missing_token: {
    message: "the Authorization header is required, of the form: Bearer <token>",
    challenge: 'Bearer realm="replykit"',
  },
  malformed_authorization: {
    message: "the Authorization header must be of the form: Bearer <token>",
    challenge: 'Bearer realm="replykit", error="invalid_request"',
  },
  invalid_token: {
    message: "the bearer token is not valid",
    challenge: 'Bearer realm="replykit", error="invalid_token"',
  },
};

export function unauthorized(reason: UnauthorizedReason, requestId: string): HttpError {
  const { message, challenge } = UNAUTHORIZED[reason];
  return httpError(
    401,
    { type: "unauthorized", code: reason, message, requestId },
    { "WWW-Authenticate": challenge },
  );
}

/** The server is at its bound of sends in flight: nothing was read or sent. */
export function overloaded(requestId: string, retryAfter: number): HttpError {
  return httpError(
    503,
    {
      type: "unavailable",
      code: "overloaded",
      message: "the server is at capacity and sent nothing; retry after the Retry-After delay",
      requestId,
    },
    { "Retry-After": String(retryAfter) },
  );
}

/** The client failed to authenticate too often; the token was not even looked at. */
export function tooManyAuthFailures(requestId: string, retryAfterMs: number): HttpError {
  return httpError(
    429,
    {
      type: "rate_limited",
      code: "too_many_auth_failures",
      message:
        "too many requests with an invalid token from this client; retry after the Retry-After delay",
      requestId,
    },
    { "Retry-After": retryAfterSeconds(retryAfterMs) },
  );
}

/**
 * A send cut short because the server is shutting down. `deliveryUnknown` when an attempt
 * had started: the idempotency key then answers `idempotency_outcome_unknown`.
 */
export function shuttingDown(deliveryUnknown: boolean, requestId: string): HttpError {
  return httpError(
    503,
    {
      type: "unavailable",
      code: "shutting_down",
      message: deliveryUnknown
        ? "the server is shutting down and cut this send short; the message may or may not have been sent"
        : "the server is shutting down; nothing was sent, retry with another server",
      requestId,
      ...(deliveryUnknown ? { deliveryUnknown: true as const } : {}),
    },
    { "Retry-After": "1", Connection: "close" },
  );
}

/** A bug or a failing port: the body says nothing more, the log says the rest. */
export function internalError(requestId: string): HttpError {
  return httpError(500, {
    type: "internal_error",
    code: "internal_error",
    message: "an unexpected error occurred; the request id identifies it in the server logs",
    requestId,
  });
}

export function routeNotFound(requestId: string): HttpError {
  return httpError(404, {
    type: "not_found",
    code: "route_not_found",
    message: "no such route; see GET /openapi.json",
    requestId,
  });
}

/**
 * The answer to an `HTTPException` below 500 that a middleware threw (hono's own, or one an
 * embedder added): a status this API has keeps its envelope; any other client error is a
 * 400, the contract's answer to a request it cannot take. Only what the status means is
 * said: the exception's own message stays in the log, as it may describe internals.
 */
export function fromClientErrorStatus(status: number, requestId: string): HttpError {
  const bodyIssue = (code: string, message: string): FieldIssue[] => [
    { field: WHOLE_BODY, code, message },
  ];
  switch (status) {
    case 401:
      return unauthorized("invalid_token", requestId);
    case 403:
      return httpError(403, {
        type: "forbidden",
        code: "forbidden",
        message: "this request is not allowed",
        requestId,
      });
    case 404:
      return routeNotFound(requestId);
    case 409:
    case 422:
      return httpError(status, {
        type: "conflict",
        code: "conflict",
        message: "the request conflicts with the state of the server",
        requestId,
      });
    case 413:
      return invalidRequest(
        bodyIssue("body_too_large", "the request body is larger than the server accepts"),
        requestId,
      );
    case 415:
      return invalidRequest(
        [
          {
            field: "Content-Type",
            code: "unsupported_media_type",
            message: "Content-Type must be application/json",
          },
        ],
        requestId,
      );
    default:
      return invalidRequest(
        bodyIssue("invalid_request", `the request body could not be processed (HTTP ${status})`),
        requestId,
      );
  }
}

function idempotencyConflict(error: IdempotencyConflict, requestId: string): HttpError {
  switch (error.reason) {
    case "in_progress":
      return httpError(409, {
        type: "conflict",
        code: "idempotency_key_in_progress",
        message: error.message,
        requestId,
      });
    case "outcome_unknown":
      // Our own words: what the client must do next is part of this answer's contract.
      return httpError(409, {
        type: "conflict",
        code: "idempotency_outcome_unknown",
        message:
          "the first request with this Idempotency-Key failed after it may have delivered the message; check whether the conversation received it before sending again, and then send with a new key",
        requestId,
      });
    case "different_request":
      return httpError(422, {
        type: "conflict",
        code: "idempotency_key_reused",
        message: error.message,
        requestId,
      });
  }
}

/** `Retry-After` in whole seconds, rounded up so a client never retries too early. */
const retryAfterSeconds = (milliseconds: number): string =>
  String(Math.max(0, Math.ceil(milliseconds / 1000)));

/**
 * Maps each of the use case's expected failures to one status and one envelope.
 * `toFieldIssues` turns the core's message issues (paths like `["buttons", 1, "title"]`)
 * into issues naming the request's flat fields.
 */
export function fromSendButtonsError(
  error: SendButtonsError,
  requestId: string,
  toFieldIssues: (issues: readonly Issue[]) => readonly FieldIssue[],
): HttpError {
  switch (error._tag) {
    case "Unauthorized":
      return unauthorized(error.reason, requestId);
    case "InvalidMessage":
      return invalidRequest(toFieldIssues(error.issues), requestId);
    case "Forbidden":
      return httpError(403, {
        type: "forbidden",
        code: "agent_forbidden",
        message: "the agent does not belong to your organization",
        requestId,
      });
    case "AgentNotFound":
      return httpError(404, {
        type: "not_found",
        code: "agent_not_found",
        message: error.message,
        requestId,
      });
    case "ConversationNotFound":
      // The core answers the same for another organization's conversation: no leak here either.
      return httpError(404, {
        type: "not_found",
        code: "conversation_not_found",
        message: error.message,
        requestId,
      });
    case "IdempotencyConflict":
      return idempotencyConflict(error, requestId);
    case "ChannelNotConfigured":
      // A deployment mistake; the connection id stays in the logs, not in the answer.
      return httpError(500, {
        type: "internal_error",
        code: "channel_not_configured",
        message: "no channel is configured for this conversation",
        requestId,
      });
    case "ProviderRejected":
      return httpError(500, {
        type: "provider_error",
        code: "provider_rejected",
        message: error.message,
        requestId,
        provider: error.provider,
        ...(error.providerCode === undefined ? {} : { providerCode: error.providerCode }),
        retryable: false,
      });
    case "ProviderUnavailable":
      return httpError(
        500,
        {
          type: "provider_error",
          code: "provider_unavailable",
          message: error.message,
          requestId,
          provider: error.provider,
          ...(error.providerCode === undefined ? {} : { providerCode: error.providerCode }),
          retryable: error.retryable,
          // Only when true: absent means the adapter knows the message was not delivered, or
          // predates the flag; a client must not read "false" into an old adapter's silence.
          ...(error.deliveryUnknown === true ? { deliveryUnknown: true } : {}),
        },
        error.retryAfterMs === undefined
          ? {}
          : { "Retry-After": retryAfterSeconds(error.retryAfterMs) },
      );
  }
}
