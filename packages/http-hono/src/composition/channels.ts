import { type ChannelPort, createChannel } from "@replykit/core";
import type { ChannelConnectionConfig } from "../config/schema.js";
import type { ServerChannelDriver, ServerDriverEnv } from "./built-in-drivers.js";
import { asConfigError } from "./config-failure.js";

/**
 * The channel of every connection, by connection id: a lookup of the connection's driver,
 * never a switch over providers, each connection's options checked by that driver's own
 * schema. A driver that refuses them throws a `ConfigError` naming the connection's path
 * (`channelConnections.N`), never quoting the connection's values.
 */
export function channelsFor(
  connections: readonly ChannelConnectionConfig[],
  drivers: readonly ServerChannelDriver[],
  env: ServerDriverEnv,
): ReadonlyMap<string, ChannelPort> {
  const byProvider = new Map(drivers.map((driver) => [driver.provider, driver]));
  return new Map(
    connections.map((connection, index) => {
      const { id, organizationId: _organization, provider, ...options } = connection;
      const path = `channelConnections.${index} (${provider})`;
      const channel = asConfigError(path, Object.values(options), () => {
        const driver = byProvider.get(provider);
        if (driver === undefined) throw new Error(`no driver is registered for "${provider}"`);
        // Parsed again here, cheaply and once: a configuration built in code, not read
        // through the schema, gets the driver's checks and defaults all the same.
        return createChannel(driver, options, env);
      });
      return [id, channel];
    }),
  );
}
