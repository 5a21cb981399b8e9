import { type Clock, redactor } from "@replykit/core";
import type { SharedStores } from "../composition/shared-stores.js";
import { ConfigError } from "../config/load-config.js";
import type { StoreConfig } from "../config/schema.js";

/** The configuration's PostgreSQL store, opened and ready, with what closes it. */
export interface OpenedStores {
  readonly stores: SharedStores;
  /** Whether the database answers (the readiness check's question). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

type PostgresStoreConfig = Extract<StoreConfig, { kind: "postgres" }>;

/**
 * Opens the PostgreSQL store (the package is loaded only here, so a server on the in-memory
 * store never loads a database driver), migrates it when the configuration says so, and
 * otherwise refuses a database whose schema is behind this server's.
 */
export async function openPostgresStores(
  config: PostgresStoreConfig,
  clock?: Clock,
): Promise<OpenedStores> {
  const { createPostgresStore, LATEST_SCHEMA_VERSION, schemaVersion } = await import(
    "@replykit/store-postgres"
  );
  const store = createPostgresStore({
    url: config.url,
    ...(config.poolSize === undefined ? {} : { poolSize: config.poolSize }),
    ...(config.schema === undefined ? {} : { schema: config.schema }),
    ...(config.leaseMs === undefined ? {} : { idempotency: { leaseMs: config.leaseMs } }),
    ...(config.messageRetentionMs === undefined
      ? {}
      : { messageRetentionMs: config.messageRetentionMs }),
    ...(config.sweepIntervalMs === undefined ? {} : { sweepIntervalMs: config.sweepIntervalMs }),
    ...(clock === undefined ? {} : { clock }),
  });
  try {
    if (config.migrate) {
      await store.migrate();
    } else {
      const version = await schemaVersion(store.sql);
      if (version < LATEST_SCHEMA_VERSION) {
        throw new ConfigError(
          `the database's replykit schema is at version ${version}, this server needs ${LATEST_SCHEMA_VERSION}: run \`replykit-admin migrate\` or set store.migrate to true`,
        );
      }
    }
  } catch (error) {
    await store.close(1).catch(() => undefined);
    if (error instanceof ConfigError) throw error;
    // The driver's messages name the host and the failure; the URL's password, should one
    // ever be quoted, is redacted all the same.
    const redact = redactor(passwordOf(config.url));
    throw new ConfigError(`cannot use the PostgreSQL store: ${redact(describe(error))}`);
  }
  return {
    stores: {
      idempotency: store.idempotency,
      messageLog: store.messageLog,
      webhookDeduplication: store.webhookDeduplication,
      ...(config.directories === "postgres" ? { directories: store.directories } : {}),
    },
    ping: () => store.ping(),
    close: () => store.close(),
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

function passwordOf(url: string): string[] {
  let password: string;
  try {
    password = new URL(url).password;
  } catch {
    return [];
  }
  if (password === "") return [];
  try {
    return [password, decodeURIComponent(password)];
  } catch {
    return [password];
  }
}
