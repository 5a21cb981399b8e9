import type { ButtonMessageInput, Principal, SendButtonsCommand } from "@replykit/core";
import type { MiddlewareHandler } from "hono";
import type * as z from "zod/mini";
import { requireBearer } from "../auth/bearer.js";
import type { AppEnv } from "./app-env.js";
import { jsonBody } from "./json-body.js";
import type { NativeRequestAccess } from "./native-request.js";
import type {
  SendButtonsHeadersSchema,
  SendButtonsRequest,
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

/** What runs before the body is read: the in-flight bound, then the token's check. */
export interface SendButtonsGuards {
  readonly limitInFlight: MiddlewareHandler<AppEnv>;
  readonly authenticate: MiddlewareHandler<AppEnv>;
  /** The runtime's own request, to read the body from (see {@link NativeRequestAccess}). */
  readonly native?: NativeRequestAccess | undefined;
}

/**
 * The endpoint's middleware, cheapest refusal first: over capacity (503), no or malformed
 * bearer (401), too many failed tokens (429) or a bad token (401) — then, only for a
 * caller known, the body is read and parsed (`jsonBody`). No validator middleware: the
 * handler validates the headers and the parsed body itself, once (a validator would read
 * and parse the body again, or copy every header into an object to check two). The last
 * one carries {@link SendButtonsInput}, the documented request, for typed clients.
 */
export const sendButtonsMiddleware = (maxBodyBytes: number, guards: SendButtonsGuards) =>
  [
    guards.limitInFlight,
    requireBearer,
    guards.authenticate,
    jsonBody(maxBodyBytes, guards.native) as MiddlewareHandler<
      AppEnv,
      typeof SEND_BUTTONS_PATH,
      SendButtonsInput
    >,
  ] as const;

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
