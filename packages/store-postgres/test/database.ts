// The PostgreSQL server the tests run against: the machine's own (CI starts it when it is
// down, see .ci/run). Each test file works in a schema of its own, dropped at the end.
import {
  createPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from "../src/index.js";

export const TEST_DATABASE_URL =
  process.env.REPLYKIT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export const scratchSchemaName = () =>
  `replykit_test_${crypto.randomUUID().replace(/-/g, "").slice(0, 16)}`;

export interface ScratchDatabase {
  readonly schema: string;
  /** Another instance's view of the same schema: its own pool, its own heartbeat. */
  open(options?: Partial<PostgresStoreOptions>): PostgresStore;
  /** Closes every store opened and drops the schema. */
  drop(): Promise<void>;
}

/** A migrated schema of its own; fails with the connection error if PostgreSQL is down. */
export async function scratchDatabase(): Promise<ScratchDatabase> {
  const schema = scratchSchemaName();
  const opened: PostgresStore[] = [];
  const open = (options: Partial<PostgresStoreOptions> = {}) => {
    const store = createPostgresStore({
      url: TEST_DATABASE_URL,
      schema,
      sweepIntervalMs: 0,
      poolSize: 4,
      ...options,
    });
    opened.push(store);
    return store;
  };
  try {
    await open().migrate();
  } catch (error) {
    throw new Error(
      `PostgreSQL at ${TEST_DATABASE_URL} is not usable (start it as .ci/run does): ${String(error)}`,
    );
  }
  return {
    schema,
    open,
    async drop() {
      const [first] = opened;
      await first?.sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await Promise.all(opened.map((store) => store.close(1)));
    },
  };
}
