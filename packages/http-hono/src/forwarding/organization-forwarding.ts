import type { InboundEvent, InboundEventHandler, Logger } from "@replykit/core";
import type { ServerConfig } from "../config/schema.js";
import { createWebhookForwarder, type WebhookForwarder } from "./webhook-forwarder.js";

/**
 * The server's inbound handler: each event goes to its organization's forwarder (the
 * organization's `webhook` in the configuration), found through the event's connection;
 * an organization without one has its events logged. Rejects when a forwarder's outbox is
 * full, so that the provider delivers the webhook again later.
 */
export function forwardingByOrganization(
  config: ServerConfig,
  logger: Logger,
  fallback: InboundEventHandler,
): InboundEventHandler & { close(): Promise<void> } {
  const forwarders = new Map<string, WebhookForwarder>();
  for (const organization of config.organizations) {
    if (organization.webhook === undefined) continue;
    forwarders.set(
      organization.id,
      createWebhookForwarder({
        url: organization.webhook.url,
        secret: organization.webhook.secret,
        logger,
      }),
    );
  }
  const organizationOf = new Map(
    config.channelConnections.map((connection) => [connection.id, connection.organizationId]),
  );
  return {
    async handle(events) {
      const byForwarder = new Map<InboundEventHandler, InboundEvent[]>();
      for (const event of events) {
        const organizationId = organizationOf.get(event.connectionId);
        const handler =
          (organizationId === undefined ? undefined : forwarders.get(organizationId)) ?? fallback;
        byForwarder.set(handler, [...(byForwarder.get(handler) ?? []), event]);
      }
      for (const [handler, batch] of byForwarder) await handler.handle(batch);
    },
    async close() {
      await Promise.all([...forwarders.values()].map((forwarder) => forwarder.close()));
    },
  };
}
