import { createWhatsAppChannel } from "@replykit/adapters-whatsapp";
import { createZapiChannel } from "@replykit/adapters-zapi";
import { createZapperChannel } from "@replykit/adapters-zapper";
import type { ChannelPort } from "@replykit/core";
import type { HttpTransport } from "@replykit/http-transport";
import type { ChannelConnectionConfig } from "../config/schema.js";
import { asConfigError } from "./config-failure.js";

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/**
 * The one place that knows which adapters exist: a connection of the configuration
 * becomes the adapter for its provider. A fourth provider is one more case here.
 */
export function channelFor(
  connection: ChannelConnectionConfig,
  transport: HttpTransport | undefined,
): ChannelPort {
  const common = {
    ...optional("transport", transport),
    ...optional("timeoutMs", connection.timeoutMs),
    ...optional("baseUrl", connection.baseUrl),
  };
  switch (connection.provider) {
    case "whatsapp":
      return createWhatsAppChannel({
        ...common,
        accessToken: connection.accessToken,
        phoneNumberId: connection.phoneNumberId,
        ...optional("apiVersion", connection.apiVersion),
      });
    case "zapi":
      return createZapiChannel({
        ...common,
        instanceId: connection.instanceId,
        instanceToken: connection.instanceToken,
        clientToken: connection.clientToken,
        ...optional("endpoint", connection.endpoint),
      });
    case "zapper":
      return createZapperChannel({
        ...common,
        instanceId: connection.instanceId,
        apiKey: connection.apiKey,
        ...optional("expiration", connection.expiration),
      });
  }
}

/**
 * The channel of every connection, by connection id. An adapter that refuses its options
 * throws a `ConfigError` naming the connection's path (`channelConnections.N`), never
 * quoting the connection's values.
 */
export function channelsFor(
  connections: readonly ChannelConnectionConfig[],
  transport: HttpTransport | undefined,
): ReadonlyMap<string, ChannelPort> {
  return new Map(
    connections.map((connection, index) => [
      connection.id,
      asConfigError(
        `channelConnections.${index} (${connection.provider})`,
        secretsOf(connection),
        () => channelFor(connection, transport),
      ),
    ]),
  );
}

/** Every value of a connection but the ones that name it, which an error may well quote. */
const secretsOf = ({
  id: _id,
  organizationId: _organization,
  provider: _provider,
  ...rest
}: ChannelConnectionConfig) => Object.values(rest);
