import {
  AgentDirectoryToken,
  AuthenticatorToken,
  ChannelDirectoryToken,
  ConversationDirectoryToken,
} from "@replykit/core";
import { anyOf } from "@replykit/http-app";
import type { ServerConfig } from "../config/schema.js";
import type { ServerChannelDriver } from "./built-in-drivers.js";
import {
  authenticatorFor,
  once,
  type PortDefault,
  portDefault,
  type RuntimeServices,
  WebhookConnectionsToken,
} from "./default-ports.js";
import type { SharedDirectories } from "./shared-stores.js";
import { StoredConnections } from "./stored-connections.js";

/**
 * The authenticator, agents, conversations, channels and webhook connections from a
 * database's directories (the Node server's `store.directories: "postgres"`): in a module
 * of its own, so that the Workers entry, which keeps its state in memory only, leaves it out.
 */
export function databaseDirectoryPorts(
  config: ServerConfig,
  runtime: RuntimeServices,
  directories: SharedDirectories,
  drivers: () => readonly ServerChannelDriver[],
): readonly PortDefault[] {
  // One lookup serves both sides of a stored connection: its channel, its webhooks.
  const connections = once(
    () =>
      new StoredConnections(
        directories,
        drivers(),
        { transport: runtime.transport },
        runtime.variables ?? {},
      ),
  );
  return [
    // The file's keys and sessions first: they need no round trip to the database.
    portDefault(AuthenticatorToken, () => anyOf(authenticatorFor(config, runtime), directories)),
    portDefault(AgentDirectoryToken, () => directories),
    portDefault(ConversationDirectoryToken, () => directories),
    portDefault(ChannelDirectoryToken, connections),
    portDefault(WebhookConnectionsToken, connections),
  ];
}
