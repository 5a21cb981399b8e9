import {
  type ChannelDirectory,
  type ChannelPort,
  createChannel,
  type WebhookConnection,
  type WebhookConnectionDirectory,
} from "@replykit/core";
import { resolveEnvReferences } from "../config/load-config.js";
import type { ServerChannelDriver, ServerDriverEnv } from "./built-in-drivers.js";
import { bindWebhookConnection } from "./webhook-connections.js";

/** A channel connection as a database keeps it (see `@replykit/store-postgres`). */
export interface StoredConnection {
  readonly id: string;
  readonly organizationId: string;
  readonly provider: string;
  /** The driver's options; secrets may be `"env:NAME"`, read from the server's environment. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Changes whenever the options do: a cached channel is rebuilt when it moves. */
  readonly updatedAt: Date;
}

export interface StoredConnectionSource {
  findChannelConnection(connectionId: string): Promise<StoredConnection | undefined>;
}

interface Built {
  readonly updatedAt: number;
  readonly channel: ChannelPort;
  readonly webhook: WebhookConnection | undefined;
}

/** The most connections whose channels are kept built; past it the oldest is dropped. */
const MAX_CACHED = 10_000;

/**
 * Channels and webhook sides of connections kept in a database. Each lookup reads the row
 * (one primary-key read), so a connection added, changed or removed is seen by every
 * instance at once; the channel is rebuilt only when the row's `updatedAt` moved.
 */
export class StoredConnections implements ChannelDirectory, WebhookConnectionDirectory {
  readonly #source: StoredConnectionSource;
  readonly #drivers: ReadonlyMap<string, ServerChannelDriver>;
  readonly #env: ServerDriverEnv;
  readonly #variables: Readonly<Record<string, string | undefined>>;
  readonly #built = new Map<string, Built>();

  constructor(
    source: StoredConnectionSource,
    drivers: readonly ServerChannelDriver[],
    env: ServerDriverEnv,
    variables: Readonly<Record<string, string | undefined>>,
  ) {
    this.#source = source;
    this.#drivers = new Map(drivers.map((driver) => [driver.provider, driver]));
    this.#env = env;
    this.#variables = variables;
  }

  async findChannel(channelConnectionId: string): Promise<ChannelPort | undefined> {
    return (await this.#find(channelConnectionId))?.channel;
  }

  async findWebhookConnection(connectionId: string): Promise<WebhookConnection | undefined> {
    return (await this.#find(connectionId))?.webhook;
  }

  async #find(connectionId: string): Promise<Built | undefined> {
    const stored = await this.#source.findChannelConnection(connectionId);
    if (stored === undefined) {
      this.#built.delete(connectionId);
      return undefined;
    }
    const cached = this.#built.get(connectionId);
    if (cached !== undefined && cached.updatedAt === stored.updatedAt.getTime()) return cached;
    const built = this.#build(stored);
    this.#built.delete(connectionId);
    this.#built.set(connectionId, built);
    for (const oldest of this.#built.keys()) {
      if (this.#built.size <= MAX_CACHED) break;
      this.#built.delete(oldest);
    }
    return built;
  }

  /**
   * Fails with an error naming the connection and its problems (never its values) when the
   * stored options do not suit the driver: the request that needed it answers 500.
   */
  #build(stored: StoredConnection): Built {
    const driver = this.#drivers.get(stored.provider);
    if (driver === undefined) {
      throw new Error(
        `channel connection "${stored.id}": no driver is registered for "${stored.provider}"`,
      );
    }
    const missing = new Map<string, string>();
    const options = resolveEnvReferences(stored.options, this.#variables, "", missing) as Readonly<
      Record<string, unknown>
    >;
    if (missing.size > 0) {
      const names = [...missing].map(([path, name]) => `${path} (${name})`).join(", ");
      throw new Error(`channel connection "${stored.id}": environment variables not set: ${names}`);
    }
    let channel: ChannelPort;
    try {
      channel = createChannel(driver, options, this.#env);
    } catch (error) {
      throw new Error(`channel connection "${stored.id}" (${stored.provider}): ${String(error)}`);
    }
    return {
      updatedAt: stored.updatedAt.getTime(),
      channel,
      webhook: webhookOf(stored, driver, options),
    };
  }
}

function webhookOf(
  stored: StoredConnection,
  driver: ServerChannelDriver,
  options: Readonly<Record<string, unknown>>,
): WebhookConnection | undefined {
  if (driver.inbound === undefined) return undefined;
  return bindWebhookConnection(stored, driver.inbound, driver.options.parse(options));
}
