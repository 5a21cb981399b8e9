import {
  type InboundEventHandler,
  type MessageLog,
  type ReceiveWebhookDeps,
  receiveWebhook,
  type WebhookConnectionDirectory,
  type WebhookDeduplication,
} from "@replykit/core";
import type { Context, Hono } from "hono";
import { httpErrorOf } from "../http-errors/http-error.js";
import { respondWithError } from "../http-errors/respond.js";
import type { AppEnv } from "./app-env.js";
import { readBody } from "./bounded-body.js";
import type { NativeRequestAccess } from "./native-request.js";
import { requestHeader } from "./request-header.js";

/** What `POST/GET /webhooks/{connectionId}` needs: the inbound ports of the core. */
export interface WebhookDeps {
  readonly connections: WebhookConnectionDirectory;
  readonly messageLog: MessageLog;
  readonly deduplication: WebhookDeduplication;
  readonly handler: InboundEventHandler;
  /** Largest webhook body accepted. Default 1 MiB: Meta batches up to 1 000 updates. */
  readonly maxBodyBytes?: number;
}

export const DEFAULT_MAX_WEBHOOK_BYTES = 1024 * 1024;

export const WEBHOOK_PATHS = ["/webhooks/:connectionId", "/webhooks/:connectionId/:pathSecret"];

// One answer for every refusal — bad signature, bad secret, unknown connection, a
// handshake with the wrong token — so that nothing tells which connection ids exist.
const refused = (c: Context<AppEnv>) =>
  respondWithError(
    c,
    httpErrorOf(401, {
      type: "unauthorized",
      code: "webhook_refused",
      message: "this webhook could not be authenticated",
      requestId: c.get("requestId"),
    }),
  );

/**
 * Mounts the provider webhooks: `GET` for a subscription handshake (Meta's
 * `hub.challenge`), `POST` for events. No bearer token: each provider authenticates its
 * own way (a signature over the raw body, a secret in the URL or a header), checked by the
 * connection's driver before anything is parsed. The body is read once, bounded.
 */
export function mountWebhooks(
  app: Hono<AppEnv>,
  deps: WebhookDeps,
  useCase: Omit<ReceiveWebhookDeps, "connections" | "messageLog" | "deduplication" | "handler">,
  native?: NativeRequestAccess,
): void {
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_WEBHOOK_BYTES;
  const receiveDeps: ReceiveWebhookDeps = { ...useCase, ...deps };
  const handle = async (c: Context<AppEnv>) => {
    const read =
      c.req.method === "GET"
        ? ({ kind: "read", bytes: new Uint8Array(0) } as const)
        : await readBody(c, maxBytes, native);
    if (read.kind === "client_gone") {
      c.set("errorCode", "client_closed_request");
      return c.body(null, 400);
    }
    if (read.kind === "too_large") {
      return respondWithError(
        c,
        httpErrorOf(
          400,
          {
            type: "invalid_request",
            code: "body_too_large",
            message: `the webhook body is larger than the limit of ${maxBytes} bytes`,
            requestId: c.get("requestId"),
          },
          { Connection: "close" },
        ),
      );
    }
    const outcome = await receiveWebhook(receiveDeps, c.req.param("connectionId") ?? "", {
      method: c.req.method,
      header: (name) => requestHeader(c, name),
      query: new URL(c.req.url).searchParams,
      rawBody: read.bytes,
      pathSecret: c.req.param("pathSecret"),
    });
    switch (outcome.kind) {
      case "handshake":
        return c.text(outcome.challenge, 200);
      case "refused":
        return refused(c);
      case "handler_failed":
        return respondWithError(
          c,
          httpErrorOf(
            503,
            {
              type: "unavailable",
              code: "webhook_not_handled",
              message: "the events could not be handed over; deliver them again later",
              requestId: c.get("requestId"),
            },
            { "Retry-After": "30" },
          ),
        );
      case "accepted":
        return c.json({ received: outcome.handedOver.length, duplicates: outcome.duplicates }, 200);
    }
  };
  for (const path of WEBHOOK_PATHS) {
    app.get(path, handle);
    app.post(path, handle);
  }
}
