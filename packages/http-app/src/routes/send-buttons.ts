import {
  type ButtonMessageInput,
  type ChannelPort,
  type Logger,
  type Principal,
  runSendButtons,
  type SendButtonsCommand,
  type SendButtonsDeps,
  type SendButtonsOutcome,
} from "@replykit/core";
import type { Context } from "hono";
import type * as z from "zod/mini";
import type { CallerCheck } from "../auth/authenticate-caller.js";
import { bearerTokenOf } from "../auth/bearer.js";
import { completeJson } from "../http-errors/complete-response.js";
import {
  fromSendButtonsError,
  internalError,
  invalidRequest,
  shuttingDown,
} from "../http-errors/http-error.js";
import { respondWithError, typedAs } from "../http-errors/respond.js";
import {
  type InFlightBound,
  OVERLOADED_RETRY_AFTER_SECONDS,
  refuseOverloaded,
} from "../limits/in-flight.js";
import type { AppEnv } from "./app-env.js";
import { bodyIssues, headerIssues } from "./body-issues.js";
import { fieldIssuesOf } from "./fields.js";
import { readJsonBody } from "./json-body.js";
import type { CallerPresence, NativeRequestAccess } from "./native-request.js";
import { requestHeader } from "./request-header.js";
import {
  SendButtonsHeadersSchema,
  type SendButtonsRequest,
  SendButtonsRequestSchema,
} from "./schemas.js";

export const SEND_BUTTONS_PATH = "/messages/interactive/send-buttons";

/**
 * What a client sends, as hono's typed client (`hc<AppType>`) reads it from the route: the
 * JSON body and the headers of the contract. Types only: the handler validates both itself.
 */
export interface SendButtonsInput {
  in: {
    json: z.input<typeof SendButtonsRequestSchema>;
    header: z.input<typeof SendButtonsHeadersSchema>;
  };
  out: {
    json: SendButtonsRequest;
    header: z.output<typeof SendButtonsHeadersSchema>;
  };
}

/** What the send handler needs beside the request. */
export interface SendButtonsRoute {
  /** The use case's ports, its logger without the line the request log takes over. */
  readonly useCase: SendButtonsDeps;
  readonly logger: Logger;
  readonly inFlight: InFlightBound;
  readonly checkCaller: CallerCheck;
  readonly maxBodyBytes: number;
  /** The runtime's own request, to read the body from (see {@link NativeRequestAccess}). */
  readonly native: NativeRequestAccess | undefined;
  readonly shutdownSignal: AbortSignal | undefined;
  /** Whether the client is still there (see `SendButtonsCommand.callerSignal`). */
  readonly callerOf: (c: Context<AppEnv>) => CallerPresence;
  /** Logs a bug or a failing port, which the request then answers with a 500. */
  readonly logDefect: (c: Context<AppEnv>, error: unknown) => void;
}

/**
 * `POST /messages/interactive/send-buttons` as one handler that runs its guards in order,
 * cheapest refusal first: over capacity (503), no or malformed bearer (401), too many
 * failed tokens (429) or a bad token (401); then, only for a caller known, the body is read
 * and parsed, the headers and the body validated, and the use case run. One handler rather
 * than a middleware per guard: each middleware layer costs every request an async frame and
 * a promise of its own. Typed with {@link SendButtonsInput}, the documented request, for
 * typed clients.
 */
export function sendButtonsHandler(route: SendButtonsRoute) {
  return async (c: SendButtonsContext) => {
    if (!route.inFlight.tryEnter()) return refuseOverloaded(c, OVERLOADED_RETRY_AFTER_SECONDS);
    try {
      return await admitted(route, c);
    } finally {
      route.inFlight.leave();
    }
  };
}

type SendButtonsContext = Context<AppEnv, typeof SEND_BUTTONS_PATH, SendButtonsInput>;

async function admitted(route: SendButtonsRoute, c: SendButtonsContext) {
  const token = bearerTokenOf(c);
  if (typeof token !== "string") return token;
  const principal = await route.checkCaller(c, token);
  if (principal instanceof Response) return principal;
  const body = await readJsonBody(c, route.maxBodyBytes, route.native);
  if (!body.ok) return body.answer;

  const requestIdValue = c.get("requestId");
  // The headers the route documents, validated here rather than by a validator middleware,
  // which would copy every header of the request into an object first. Only an
  // Idempotency-Key can be refused (X-Request-Id is any string, replaced when it is not
  // sane), so a request without one skips the schema.
  const idempotencyKey = requestHeader(c, "Idempotency-Key");
  if (idempotencyKey !== undefined) {
    const headers = SendButtonsHeadersSchema.safeParse({
      "Idempotency-Key": idempotencyKey,
      "X-Request-Id": requestHeader(c, "X-Request-Id"),
    });
    if (!headers.success) {
      return respondWithError(
        c,
        invalidRequest(headerIssues(headers.error.issues), requestIdValue),
      );
    }
  }
  // After `Idempotency-Key`, as documented.
  const parsed = SendButtonsRequestSchema.safeParse(body.value);
  if (!parsed.success) {
    return respondWithError(
      c,
      invalidRequest(bodyIssues(parsed.error.issues, body.value), requestIdValue),
    );
  }
  const command = toCommand(parsed.data, {
    principal,
    idempotencyKey,
    requestId: requestIdValue,
    signal: route.shutdownSignal,
    // Aborted when the client hangs up: a send not yet started is then never started.
    // The runtime's own view when it gives one (the Node server's socket), else the
    // Request's signal (workerd; on @hono/node-server it would cost a full Request).
    callerSignal: route.callerOf(c),
  });
  // The channel the use case picks: its limit names the first button over it.
  let channel: ChannelPort | undefined;
  const observed: SendButtonsDeps = {
    ...route.useCase,
    channels: {
      findChannel: async (channelConnectionId) => {
        channel = await route.useCase.channels.findChannel(channelConnectionId);
        return channel;
      },
    },
  };
  let outcome: SendButtonsOutcome;
  try {
    outcome = await runSendButtons(observed, command);
  } catch (defect) {
    route.logDefect(c, defect);
    return respondWithError(c, internalError(requestIdValue));
  }
  if (outcome.ok) {
    const sent = outcome.value;
    c.set("logFields", {
      provider: sent.provider,
      agentId: command.agentId,
      conversationId: sent.conversationId,
      messageId: sent.messageId,
      providerMessageId: sent.providerMessageId,
    });
    return typedAs(() => c.json(sent, 200), completeJson(c, sent, 200));
  }
  if (outcome.error._tag === "ProviderUnavailable" && route.shutdownSignal?.aborted === true) {
    return respondWithError(
      c,
      shuttingDown(outcome.error.deliveryUnknown === true, requestIdValue),
    );
  }
  if (outcome.error._tag === "ChannelNotConfigured") {
    // A deployment mistake the answer does not detail: the operator needs the connection.
    route.logger.log("error", "http.channel_not_configured", {
      requestId: requestIdValue,
      channelConnectionId: outcome.error.channelConnectionId,
    });
  }
  const buttons = {
    given: command.message.buttons.length,
    allowed: channel?.capabilities.maxButtons,
  };
  return respondWithError(
    c,
    fromSendButtonsError(outcome.error, requestIdValue, (issues) => fieldIssuesOf(issues, buttons)),
  );
}

/** The flat fields of the contract as the core's message input. */
export function toMessageInput(body: SendButtonsRequest): ButtonMessageInput {
  // The schema guarantees pairs without gaps, so the kept buttons are numbered as given.
  const buttons = [{ id: body.button_1_id, title: body.button_1_title }];
  if (body.button_2_id !== undefined && body.button_2_title !== undefined) {
    buttons.push({ id: body.button_2_id, title: body.button_2_title });
  }
  if (body.button_3_id !== undefined && body.button_3_title !== undefined) {
    buttons.push({ id: body.button_3_id, title: body.button_3_title });
  }
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
