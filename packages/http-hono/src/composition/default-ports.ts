import {
  AgentDirectoryToken,
  AuthenticatorToken,
  ChannelDirectoryToken,
  type Clock,
  ClockToken,
  ConversationDirectoryToken,
  IdempotencyStoreToken,
  type InboundEventHandler,
  InboundEventHandlerToken,
  InMemoryIdempotencyStore,
  InMemoryMessageLog,
  InMemoryWebhookDeduplication,
  type Logger,
  LoggerToken,
  MessageLogToken,
  type PortToken,
  systemClock,
  type WebhookConnectionDirectory,
  WebhookDeduplicationToken,
} from "@replykit/core";
import type { ClientAddress, NativeRequestAccess } from "@replykit/http-app";
import {
  anyOf,
  createApiKeyAuthenticator,
  createJsonLogger,
  createJwtSessionAuthenticator,
} from "@replykit/http-app";
import type { HttpTransport } from "@replykit/http-transport";
import type { DependencyContainer } from "tsyringe";
import type { ServerConfig } from "../config/schema.js";
import { forwardingByOrganization } from "../forwarding/organization-forwarding.js";
import type { ServerChannelDriver } from "./built-in-drivers.js";
import { channelsFor } from "./channels.js";
import {
  ConfigAgentDirectory,
  ConfigChannelDirectory,
  ConfigConversationDirectory,
} from "./config-directories.js";
import { asConfigError } from "./config-failure.js";
import type { SharedStores } from "./shared-stores.js";
import { ConfigWebhookConnections } from "./webhook-connections.js";

/** What differs between runtimes; everything else comes from the configuration. */
export interface RuntimeServices {
  /** How adapters reach providers: undici on Node, the global `fetch` (default) on the edge. */
  readonly transport?: HttpTransport;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /**
   * The drivers, as `createDriverContainer()` makes them with any of your own registered
   * (`container.register(ChannelDriverToken, { useValue: driver })`). Default: the built-in ones.
   */
  readonly container?: DependencyContainer;
  /** Aborted when the server stops; see `AppDeps.shutdownSignal`. */
  readonly shutdownSignal?: AbortSignal;
  /**
   * The client's address when the configuration names no `clientIpHeader`: the Node server
   * gives the socket's; the Workers entry gives `cf-connecting-ip`, which Cloudflare sets.
   */
  readonly clientAddress?: ClientAddress;
  /**
   * The stores shared by every instance (the configuration's `store`, opened by the Node
   * server): they replace the in-memory ones, and the configuration's directories too when
   * they hold `directories`.
   */
  readonly stores?: SharedStores;
  /** The SHA-256 API keys are hashed with: `node:crypto`'s on Node. Default Web Crypto's. */
  readonly sha256?: (text: string) => Uint8Array | Promise<Uint8Array>;
  /** What `GET /readyz` checks (the shared stores answer). Default: always ready. */
  readonly readiness?: () => Promise<void>;
  /** The runtime's own request, see `AppDeps.native`: the Node server's `nodeRequestAccess`. */
  readonly native?: NativeRequestAccess;
  /** Where `"env:NAME"` in a stored connection's options is read. Default: none is set. */
  readonly variables?: Readonly<Record<string, string | undefined>>;
}

/** The connections' inbound sides, by connection id. */
export const WebhookConnectionsToken: PortToken<WebhookConnectionDirectory> = Symbol.for(
  "replykit.WebhookConnections",
);

/** Another port, by its token: how a default reaches the ports it is made from. */
export type ResolvePort = <Port>(token: PortToken<Port>) => Port;

/** How the configuration makes one port by default, made once when first resolved. */
export interface PortDefault<Port = unknown> {
  readonly token: PortToken<Port>;
  readonly make: (resolve: ResolvePort) => Port;
}

export const portDefault = <Port>(
  token: PortToken<Port>,
  make: (resolve: ResolvePort) => Port,
): PortDefault => ({ token, make });

/** `make`, called on the first call only; every call answers what that one made. */
export function once<T>(make: () => T): () => T {
  let made: { readonly value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/**
 * The API keys, and sessions if configured. A factory that refuses its part throws a
 * `ConfigError` naming `apiKeys` or `sessions`, never quoting a digest or the secret.
 */
export function authenticatorFor(config: ServerConfig, runtime: RuntimeServices) {
  const apiKeys = asConfigError(
    "apiKeys",
    config.apiKeys.map((key) => key.sha256),
    () =>
      createApiKeyAuthenticator(
        config.apiKeys,
        runtime.sha256 === undefined ? {} : { sha256: runtime.sha256 },
      ),
  );
  const { sessions } = config;
  if (sessions === undefined) return apiKeys;
  return anyOf(
    apiKeys,
    asConfigError("sessions", [sessions.jwtSecret], () =>
      createJwtSessionAuthenticator({
        secret: sessions.jwtSecret,
        ...(sessions.issuer === undefined ? {} : { issuer: sessions.issuer }),
        ...(sessions.audience === undefined ? {} : { audience: sessions.audience }),
      }),
    ),
  );
}

/**
 * Where the authenticator, agents, conversations, channels and webhook connections come
 * from: the configuration's own lists. (With a database's directories instead, see
 * `databaseDirectoryPorts`, which only the Node server needs.) `drivers` is called only when
 * a channel is first needed, so that a driver registration that is refused fails there.
 */
export function configDirectoryPorts(
  config: ServerConfig,
  runtime: RuntimeServices,
  drivers: () => readonly ServerChannelDriver[],
): readonly PortDefault[] {
  return [
    portDefault(AuthenticatorToken, () => authenticatorFor(config, runtime)),
    portDefault(AgentDirectoryToken, () => new ConfigAgentDirectory(config.agents)),
    portDefault(
      ConversationDirectoryToken,
      () => new ConfigConversationDirectory(config.conversations),
    ),
    portDefault(
      ChannelDirectoryToken,
      () =>
        new ConfigChannelDirectory(
          channelsFor(config.channelConnections, drivers(), { transport: runtime.transport }),
        ),
    ),
    portDefault(
      WebhookConnectionsToken,
      () => new ConfigWebhookConnections(config.channelConnections, drivers()),
    ),
  ];
}

/**
 * How the configuration makes every port of the core, as plain functions, `directories`
 * (see {@link configDirectoryPorts}) included: what the composition root registers in its
 * container (`createContainer`, where an embedder's own registrations take a default's
 * place) and what the Workers entry calls without one (`createEdgeApp`).
 */
export function defaultPorts(
  config: ServerConfig,
  runtime: RuntimeServices,
  directories: readonly PortDefault[],
): readonly PortDefault[] {
  const stores = runtime.stores;
  return [
    portDefault(ClockToken, () => runtime.clock ?? systemClock),
    portDefault(LoggerToken, () => runtime.logger ?? createJsonLogger()),
    ...directories,
    portDefault(MessageLogToken, () => stores?.messageLog ?? new InMemoryMessageLog()),
    portDefault(
      WebhookDeduplicationToken,
      (resolve) =>
        stores?.webhookDeduplication ??
        new InMemoryWebhookDeduplication({ clock: resolve(ClockToken) }),
    ),
    portDefault(InboundEventHandlerToken, (resolve) => {
      const logger = resolve(LoggerToken);
      return forwardingByOrganization(config, logger, loggingEventHandler(logger));
    }),
    portDefault(
      IdempotencyStoreToken,
      (resolve) =>
        stores?.idempotency ??
        new InMemoryIdempotencyStore({
          clock: resolve(ClockToken),
          ...(config.idempotency?.ttlMs === undefined ? {} : { ttlMs: config.idempotency.ttlMs }),
          ...(config.idempotency?.maxEntries === undefined
            ? {}
            : { maxEntries: config.idempotency.maxEntries }),
        }),
    ),
  ];
}

/**
 * The ports of `defaults` without a container: each made on its first resolution, once.
 * Resolving a token no default makes is a bug of the composition root, and throws.
 */
export function resolverOf(defaults: readonly PortDefault[]): ResolvePort {
  const makers = new Map(defaults.map(({ token, make }) => [token, once(() => make(resolve))]));
  function resolve<Port>(token: PortToken<Port>): Port {
    const made = makers.get(token);
    if (made === undefined) throw new Error(`no port is made for ${String(token)}`);
    return made() as Port;
  }
  return resolve;
}

/**
 * The default handler of inbound events when nothing else is registered: one log line per
 * event (its kind and ids, never a body), so that a round trip can be seen in the logs.
 */
function loggingEventHandler(logger: Logger): InboundEventHandler {
  return {
    async handle(events) {
      for (const event of events) {
        logger.log("info", "inbound.event", {
          kind: event.kind,
          connectionId: event.connectionId,
          provider: event.provider,
          ...(event.kind === "button_reply"
            ? {
                buttonId: event.buttonId,
                messageId: event.replyTo.messageId,
                matchedBy: event.replyTo.matchedBy,
              }
            : event.kind === "delivery_status"
              ? { status: event.status, messageId: event.messageId }
              : { reason: event.reason }),
        });
      }
    },
  };
}
