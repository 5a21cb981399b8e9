import { type Clock, systemClock } from "@replykit/core";
import postgres, { type Sql } from "postgres";
import { PostgresAdmin } from "./admin.js";
import { PostgresDirectories } from "./directories.js";
import { PostgresIdempotencyStore } from "./idempotency-store.js";
import { PostgresMessageLog } from "./message-log.js";
import { type MigrationReport, migrate } from "./migrations.js";
import { PostgresWebhookDeduplication } from "./webhook-deduplication.js";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`; never logged. */
  readonly url: string;
  /** Connections in this instance's pool. Default 10. */
  readonly poolSize?: number;
  /**
   * A schema to keep replykit's tables in (created by `migrate` if missing); default the
   * database's search path (usually `public`).
   */
  readonly schema?: string;
  readonly idempotency?: { readonly ttlMs?: number; readonly leaseMs?: number };
  readonly webhookDeduplication?: { readonly ttlMs?: number };
  /** How long messages, statuses and replies are kept. Default 30 days. */
  readonly messageRetentionMs?: number;
  /** How often expired rows are deleted (in batches, by index). Default 5 minutes; 0: never. */
  readonly sweepIntervalMs?: number;
  readonly clock?: Clock;
}

/** Every stateful port on one PostgreSQL pool, with its migrations and its sweeper. */
export interface PostgresStore {
  readonly sql: Sql;
  readonly idempotency: PostgresIdempotencyStore;
  readonly messageLog: PostgresMessageLog;
  readonly webhookDeduplication: PostgresWebhookDeduplication;
  readonly directories: PostgresDirectories;
  readonly admin: PostgresAdmin;
  /** Applies the migrations this package ships (see `migrate`). */
  migrate(): Promise<MigrationReport>;
  /** Deletes expired keys, event ids and messages past retention; the rows deleted. */
  sweep(): Promise<number>;
  /** Whether the database answers: for a readiness check. */
  ping(): Promise<void>;
  /** Stops the sweeper and the heartbeat and closes the pool, waiting up to `timeoutSeconds`. */
  close(timeoutSeconds?: number): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Connects lazily (the first query opens the pool) and starts nothing but the sweeper's
 * timer, which does not keep the process alive.
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  const { poolSize = 10, schema, sweepIntervalMs = 5 * 60_000, clock = systemClock } = options;
  if (!Number.isSafeInteger(poolSize) || poolSize < 1) {
    throw new RangeError(`poolSize must be a positive integer, not ${poolSize}`);
  }
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new RangeError("schema must be a lower-case SQL identifier");
  }
  const messageRetentionMs = options.messageRetentionMs ?? 30 * 24 * 60 * 60 * 1000;
  const sql = postgres(options.url, {
    max: poolSize,
    onnotice: () => {},
    // Idle connections are closed, so a quiet instance holds none of the database's slots.
    idle_timeout: 60,
    connect_timeout: 10,
    ...(schema === undefined ? {} : { connection: { search_path: schema } }),
  });
  const idempotency = new PostgresIdempotencyStore(sql, { ...options.idempotency, clock });
  const messageLog = new PostgresMessageLog(sql);
  const webhookDeduplication = new PostgresWebhookDeduplication(sql, {
    ...options.webhookDeduplication,
    clock,
  });
  const sweep = async () =>
    (await idempotency.sweepExpired()) +
    (await webhookDeduplication.sweepExpired()) +
    (await messageLog.sweepSentBefore(new Date(clock.now() - messageRetentionMs)));
  let sweeper: ReturnType<typeof setInterval> | undefined;
  if (sweepIntervalMs > 0) {
    // A failed sweep is tried again at the next interval: nothing depends on it but space.
    sweeper = setInterval(() => sweep().catch(() => {}), sweepIntervalMs);
    (sweeper as { unref?: () => void }).unref?.();
  }
  return {
    sql,
    idempotency,
    messageLog,
    webhookDeduplication,
    directories: new PostgresDirectories(sql),
    admin: new PostgresAdmin(sql),
    migrate: () => migrate(sql, schema === undefined ? {} : { schema }),
    sweep,
    async ping() {
      await sql`SELECT 1`;
    },
    async close(timeoutSeconds = 5) {
      if (sweeper !== undefined) clearInterval(sweeper);
      idempotency.close();
      await sql.end({ timeout: timeoutSeconds });
    },
  };
}
