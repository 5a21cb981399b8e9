import type { InboundEvent, ParsedInbound } from "./inbound/events.js";
import type { WebhookRequest } from "./inbound/inbound-driver.js";
import { hmacSha256Hex, timingSafeEqual } from "./inbound/webhook-crypto.js";
import type { Clock } from "./ports/clock.js";
import type { InboundEventHandler } from "./ports/inbound-event-handler.js";
import type { Logger } from "./ports/logger.js";
import type { MessageLog } from "./ports/message-log.js";
import type { WebhookDeduplication } from "./ports/webhook-deduplication.js";

/** One channel connection's inbound side, its driver's functions bound to its options. */
export interface WebhookConnection {
  readonly connectionId: string;
  readonly provider: string;
  readonly organizationId: string;
  verify(request: WebhookRequest): Promise<boolean>;
  handshake?(request: WebhookRequest): string | undefined;
  parse(body: unknown, receivedAt: Date): readonly ParsedInbound[];
}

export interface WebhookConnectionDirectory {
  findWebhookConnection(connectionId: string): Promise<WebhookConnection | undefined>;
}

export interface ReceiveWebhookDeps {
  readonly connections: WebhookConnectionDirectory;
  readonly messageLog: MessageLog;
  readonly deduplication: WebhookDeduplication;
  readonly handler: InboundEventHandler;
  readonly clock: Clock;
  readonly logger: Logger;
}

export type ReceiveWebhookOutcome =
  /** A subscription handshake: answer `challenge` as plain text. */
  | { readonly kind: "handshake"; readonly challenge: string }
  /** Verified and handed over (answer 200): the new events; redelivered ones left out. */
  | {
      readonly kind: "accepted";
      readonly handedOver: readonly InboundEvent[];
      readonly duplicates: number;
    }
  /**
   * Not from the provider, or for no connection that takes webhooks: one and the same
   * answer (401) for every reason, so that nobody learns which connection ids exist.
   */
  | { readonly kind: "refused" }
  /** The handler failed: answer 5xx, so that the provider delivers the same events again. */
  | { readonly kind: "handler_failed" };

// A decoy secret for unknown connections, so that their refusal costs an HMAC like a real
// one. Made on first use: Workers allow no random values at a module's top level.
let decoySecret: string | undefined;

/**
 * Receives one webhook: finds the connection, verifies the request on its raw bytes,
 * parses it (never throwing on an odd payload), drops events already handed over, matches
 * taps and statuses to the message sent (exact provider id first, else the most recent
 * message to that sender with that button), moves the message log's status forward, and
 * hands the new events to the handler; only once it succeeded are they recorded as handed
 * over, so that a handler failure lets the provider's redelivery try again.
 */
export async function receiveWebhook(
  deps: ReceiveWebhookDeps,
  connectionId: string,
  request: WebhookRequest,
): Promise<ReceiveWebhookOutcome> {
  const connection = await deps.connections.findWebhookConnection(connectionId);
  if (connection === undefined) {
    decoySecret ??= crypto.randomUUID();
    timingSafeEqual(await hmacSha256Hex(decoySecret, request.rawBody), decoySecret);
    return { kind: "refused" };
  }
  if (request.method === "GET") {
    const challenge = connection.handshake?.(request);
    return challenge === undefined ? { kind: "refused" } : { kind: "handshake", challenge };
  }
  if (!(await connection.verify(request))) return { kind: "refused" };

  const parsed = connection.parse(parseJson(request.rawBody), new Date(deps.clock.now()));
  const ids = parsed.flatMap((event) =>
    event.providerEventId === undefined ? [] : [event.providerEventId],
  );
  const seen = await deps.deduplication.seen(connectionId, ids);
  const fresh: ParsedInbound[] = [];
  const inThisBody = new Set<string>();
  let duplicates = 0;
  for (const event of parsed) {
    const id = event.providerEventId;
    if (id !== undefined && (seen.has(id) || inThisBody.has(id))) {
      duplicates += 1;
      continue;
    }
    if (id !== undefined) inThisBody.add(id);
    fresh.push(event);
  }

  const events: InboundEvent[] = [];
  for (const event of fresh) events.push(await normalize(deps, connection, event));
  if (events.length > 0) {
    try {
      await deps.handler.handle(events);
    } catch (error) {
      deps.logger.log("error", "webhook.handler_failed", {
        connectionId,
        provider: connection.provider,
        events: events.length,
        errorName: error instanceof Error ? error.name : typeof error,
      });
      return { kind: "handler_failed" };
    }
  }
  await deps.deduplication.remember(connectionId, [...inThisBody]);
  deps.logger.log("info", "webhook.accepted", {
    connectionId,
    provider: connection.provider,
    events: events.length,
    duplicates,
  });
  return { kind: "accepted", handedOver: events, duplicates };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

async function normalize(
  deps: ReceiveWebhookDeps,
  connection: WebhookConnection,
  event: ParsedInbound,
): Promise<InboundEvent> {
  const { connectionId, provider } = connection;
  switch (event.kind) {
    case "ignored":
      return { ...event, connectionId, provider };
    case "delivery_status": {
      const message = await deps.messageLog.applyStatus(connectionId, event.providerMessageId, {
        status: event.status,
        at: event.at,
        error: event.error,
      });
      return {
        kind: "delivery_status",
        connectionId,
        provider,
        providerEventId: event.providerEventId,
        providerMessageId: event.providerMessageId,
        messageId: message?.messageId,
        status: event.status,
        ...(event.error === undefined ? {} : { error: event.error }),
        at: event.at,
      };
    }
    case "button_reply": {
      const byId =
        event.replyToProviderMessageId === undefined
          ? undefined
          : await deps.messageLog.findByProviderMessageId(
              connectionId,
              event.replyToProviderMessageId,
            );
      const message =
        byId ??
        (await deps.messageLog.findLatestWithButton(connectionId, event.from, event.buttonId));
      const matchedBy =
        byId !== undefined
          ? "provider_message_id"
          : message !== undefined
            ? "recent_message_with_button"
            : "unmatched";
      if (message !== undefined) {
        await deps.messageLog.addReply(message.messageId, {
          providerEventId: event.providerEventId,
          buttonId: event.buttonId,
          buttonTitle: event.buttonTitle,
          from: event.from,
          at: event.at,
        });
      }
      return {
        kind: "button_reply",
        connectionId,
        provider,
        providerEventId: event.providerEventId,
        from: event.from,
        buttonId: event.buttonId,
        buttonTitle: event.buttonTitle,
        replyTo: {
          providerMessageId: message?.providerMessageId ?? event.replyToProviderMessageId,
          messageId: message?.messageId,
          conversationId: message?.conversationId,
          matchedBy,
        },
        receivedAt: event.at,
      };
    }
  }
}
