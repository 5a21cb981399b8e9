export { generateApiKey, PostgresAdmin } from "./admin.js";
export { PostgresDirectories, type StoredChannelConnection, sha256Hex } from "./directories.js";
export {
  PostgresIdempotencyStore,
  type PostgresIdempotencyStoreOptions,
} from "./idempotency-store.js";
export { PostgresMessageLog } from "./message-log.js";
export {
  LATEST_SCHEMA_VERSION,
  MIGRATIONS,
  type Migration,
  type MigrationReport,
  migrate,
  schemaVersion,
} from "./migrations.js";
export { createPostgresStore, type PostgresStore, type PostgresStoreOptions } from "./store.js";
export {
  PostgresWebhookDeduplication,
  type PostgresWebhookDeduplicationOptions,
} from "./webhook-deduplication.js";
