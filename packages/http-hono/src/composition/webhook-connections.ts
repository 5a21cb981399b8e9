import type { InboundDriver, WebhookConnection, WebhookConnectionDirectory } from "@replykit/core";
import type { ChannelConnectionConfig } from "../config/schema.js";
import type { ServerChannelDriver } from "./built-in-drivers.js";

/**
 * The inbound side of every connection whose driver has one, its functions bound to the
 * connection's own options (its secrets): what `receiveWebhook` looks a connection up in.
 */
export class ConfigWebhookConnections implements WebhookConnectionDirectory {
  readonly #connections: ReadonlyMap<string, WebhookConnection>;

  constructor(
    connections: readonly ChannelConnectionConfig[],
    drivers: readonly ServerChannelDriver[],
  ) {
    const byProvider = new Map(drivers.map((driver) => [driver.provider, driver]));
    const bound = new Map<string, WebhookConnection>();
    for (const connection of connections) {
      const { id, organizationId, provider, ...options } = connection;
      const driver = byProvider.get(provider);
      const inbound = driver?.inbound;
      if (driver === undefined || inbound === undefined) continue;
      // Checked when the configuration was read; parsed again for its defaults. A failure
      // is the channel's to report (channelsFor names the connection's path).
      const result = driver.options.safeParse(options);
      if (!result.success) continue;
      bound.set(id, bindWebhookConnection({ id, organizationId, provider }, inbound, result.data));
    }
    this.#connections = bound;
  }

  async findWebhookConnection(connectionId: string): Promise<WebhookConnection | undefined> {
    return this.#connections.get(connectionId);
  }
}

/** A connection's inbound side, its functions bound to the connection's parsed options. */
export function bindWebhookConnection<Options>(
  connection: { readonly id: string; readonly organizationId: string; readonly provider: string },
  inbound: InboundDriver<Options>,
  options: Options,
): WebhookConnection {
  const handshake = inbound.handshake;
  return {
    connectionId: connection.id,
    provider: connection.provider,
    organizationId: connection.organizationId,
    verify: (request) => inbound.verify(request, options),
    ...(handshake === undefined
      ? {}
      : { handshake: (request) => handshake.call(inbound, request, options) }),
    parse: (body, receivedAt) => inbound.parse(body, receivedAt),
  };
}
