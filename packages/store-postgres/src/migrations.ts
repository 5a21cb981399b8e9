import type { Sql } from "postgres";

/** One step of the schema. Shipped in the code, so the package needs no file reads. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/**
 * The schema, oldest first. A released migration is never edited: a change is a new one.
 *
 * Times are `timestamptz` written from the application's clock (so that a fleet and its
 * tests agree on one notion of "now"); every sweep deletes through an index on its expiry
 * column.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "idempotency keys, message log, webhook de-duplication, directories",
    statements: [
      `CREATE TABLE replykit_idempotency_keys (
        organization_id text NOT NULL,
        key text NOT NULL,
        fingerprint text NOT NULL,
        state text NOT NULL CHECK (state IN ('in_progress', 'outcome_unknown', 'completed')),
        result json,
        owner text,
        lease_expires_at timestamptz,
        expires_at timestamptz NOT NULL,
        claimed_at timestamptz NOT NULL,
        PRIMARY KEY (organization_id, key)
      )`,
      "CREATE INDEX replykit_idempotency_keys_expiry ON replykit_idempotency_keys (expires_at)",
      `CREATE INDEX replykit_idempotency_keys_owner ON replykit_idempotency_keys (owner)
        WHERE state = 'in_progress'`,
      `CREATE TABLE replykit_messages (
        message_id text PRIMARY KEY,
        seq bigserial NOT NULL,
        organization_id text NOT NULL,
        connection_id text NOT NULL,
        conversation_id text NOT NULL,
        provider text NOT NULL,
        provider_message_id text NOT NULL,
        recipient text NOT NULL,
        recipient_digits text,
        buttons jsonb NOT NULL,
        button_ids text[] NOT NULL,
        sent_at timestamptz NOT NULL,
        status text,
        status_rank smallint,
        status_at timestamptz,
        error jsonb
      )`,
      `CREATE INDEX replykit_messages_provider_id
        ON replykit_messages (connection_id, provider_message_id)`,
      `CREATE INDEX replykit_messages_recipient
        ON replykit_messages (connection_id, recipient, sent_at DESC)`,
      `CREATE INDEX replykit_messages_recipient_digits
        ON replykit_messages (connection_id, recipient_digits, sent_at DESC)
        WHERE recipient_digits IS NOT NULL`,
      "CREATE INDEX replykit_messages_sent_at ON replykit_messages (sent_at)",
      `CREATE TABLE replykit_message_replies (
        message_id text NOT NULL REFERENCES replykit_messages ON DELETE CASCADE,
        provider_event_id text NOT NULL,
        seq bigserial NOT NULL,
        button_id text NOT NULL,
        button_title text,
        from_address text NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (message_id, provider_event_id)
      )`,
      `CREATE TABLE replykit_webhook_events (
        connection_id text NOT NULL,
        provider_event_id text NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (connection_id, provider_event_id)
      )`,
      "CREATE INDEX replykit_webhook_events_expiry ON replykit_webhook_events (expires_at)",
      `CREATE TABLE replykit_organizations (
        id text PRIMARY KEY,
        name text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE replykit_api_keys (
        id text PRIMARY KEY,
        organization_id text NOT NULL REFERENCES replykit_organizations,
        sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`,
      `CREATE TABLE replykit_agents (
        id text PRIMARY KEY,
        organization_id text NOT NULL REFERENCES replykit_organizations,
        name text
      )`,
      `CREATE TABLE replykit_channel_connections (
        id text PRIMARY KEY,
        organization_id text NOT NULL REFERENCES replykit_organizations,
        provider text NOT NULL,
        options jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE TABLE replykit_conversations (
        id text PRIMARY KEY,
        organization_id text NOT NULL REFERENCES replykit_organizations,
        channel_connection_id text NOT NULL REFERENCES replykit_channel_connections,
        recipient text NOT NULL
      )`,
    ],
  },
];

/** Any 64-bit number fixed for replykit: every instance migrating takes this one lock. */
const MIGRATION_LOCK = 7_236_855_119_032_541_201n;

export interface MigrationReport {
  /** The versions this call applied, in order; empty when the schema was already current. */
  readonly applied: readonly number[];
  readonly version: number;
}

/**
 * Brings the schema to the latest version. Safe when several instances start at once: each
 * takes one transaction-scoped advisory lock, so one migrates while the others wait, then
 * find nothing left to do. Each migration runs in that transaction with its version row.
 * `schema`, when given, is created first (it should be the connection's search path).
 */
export async function migrate(
  sql: Sql,
  { migrations = MIGRATIONS, schema }: { migrations?: readonly Migration[]; schema?: string } = {},
): Promise<MigrationReport> {
  return sql.begin(async (transaction) => {
    await transaction`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK.toString()}::bigint)`;
    if (schema !== undefined) await transaction`CREATE SCHEMA IF NOT EXISTS ${sql(schema)}`;
    await transaction`
      CREATE TABLE IF NOT EXISTS replykit_schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`;
    const rows = await transaction<{ version: number }[]>`
      SELECT version FROM replykit_schema_migrations`;
    const done = new Set(rows.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.statements) await transaction.unsafe(statement);
      await transaction`
        INSERT INTO replykit_schema_migrations (version, name)
        VALUES (${migration.version}, ${migration.name})`;
      applied.push(migration.version);
    }
    const version = Math.max(0, ...done, ...applied);
    return { applied, version };
  });
}

/** The schema version the database is at, or 0 before any migration. */
export async function schemaVersion(sql: Sql): Promise<number> {
  const [row] = await sql<{ version: number | null }[]>`
    SELECT max(version) AS version FROM replykit_schema_migrations`.catch((error: unknown) => {
    if (isUndefinedTable(error)) return [{ version: 0 }];
    throw error;
  });
  return row?.version ?? 0;
}

/** The latest version this package knows. */
export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version));

const isUndefinedTable = (error: unknown) =>
  typeof error === "object" && error !== null && "code" in error && error.code === "42P01";
