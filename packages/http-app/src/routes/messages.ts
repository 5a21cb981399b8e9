import type { MessageLog, MessageRecord } from "@replykit/core";
import type { Hono, MiddlewareHandler } from "hono";
import { httpErrorOf } from "../http-errors/http-error.js";
import { respondWithError } from "../http-errors/respond.js";
import type { AppEnv } from "./app-env.js";

export const MESSAGE_PATH = "/messages/:messageId";

/** A message as `GET /messages/{messageId}` answers it: what was sent and what came back. */
export function messageView(message: MessageRecord) {
  return {
    messageId: message.messageId,
    providerMessageId: message.providerMessageId,
    provider: message.provider,
    conversationId: message.conversationId,
    buttons: message.buttons.map(({ id, title }) => ({ id, title })),
    sentAt: message.sentAt.toISOString(),
    status: message.status ?? "sent",
    ...(message.statusAt === undefined ? {} : { statusAt: message.statusAt.toISOString() }),
    ...(message.error === undefined ? {} : { error: message.error }),
    replies: message.replies.map((reply) => ({
      buttonId: reply.buttonId,
      ...(reply.buttonTitle === undefined ? {} : { buttonTitle: reply.buttonTitle }),
      from: reply.from,
      at: reply.at.toISOString(),
    })),
  };
}

/**
 * `GET /messages/{messageId}`: the latest status of a message sent and the replies to it,
 * for the caller's organization only — another organization's message is a 404, exactly
 * like one that does not exist.
 */
export function mountMessages(
  app: Hono<AppEnv>,
  messageLog: MessageLog,
  guards: {
    readonly bearer: MiddlewareHandler<AppEnv>;
    readonly authenticate: MiddlewareHandler<AppEnv>;
  },
): void {
  app.get(MESSAGE_PATH, guards.bearer, guards.authenticate, async (c) => {
    const message = await messageLog.find(c.req.param("messageId") ?? "");
    if (message === undefined || message.organizationId !== c.get("principal").organizationId) {
      return respondWithError(
        c,
        httpErrorOf(404, {
          type: "not_found",
          code: "message_not_found",
          message: "no message with this id was sent by your organization",
          requestId: c.get("requestId"),
        }),
      );
    }
    return c.json(messageView(message), 200);
  });
}
