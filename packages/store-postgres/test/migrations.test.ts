import { afterAll, describe, expect, it } from "vitest";
import { createPostgresStore, LATEST_SCHEMA_VERSION, schemaVersion } from "../src/index.js";
import { scratchSchemaName, TEST_DATABASE_URL } from "./database.js";

const schema = scratchSchemaName();
const stores: ReturnType<typeof createPostgresStore>[] = [];
const open = () => {
  const store = createPostgresStore({ url: TEST_DATABASE_URL, schema, sweepIntervalMs: 0 });
  stores.push(store);
  return store;
};
afterAll(async () => {
  await stores[0]?.sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await Promise.all(stores.map((store) => store.close(1)));
});

describe("migrations", () => {
  it("applies each migration once when eight instances start at the same moment", async () => {
    const reports = await Promise.all(Array.from({ length: 8 }, () => open().migrate()));
    expect(reports.map((report) => report.applied.length).sort()).toEqual([
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      LATEST_SCHEMA_VERSION,
    ]);
    expect(reports.every((report) => report.version === LATEST_SCHEMA_VERSION)).toBe(true);
    const store = open();
    expect(await schemaVersion(store.sql)).toBe(LATEST_SCHEMA_VERSION);
    const rows = await store.sql`SELECT version FROM replykit_schema_migrations`;
    expect(rows).toHaveLength(LATEST_SCHEMA_VERSION);
  });

  it("reports version 0 for a database never migrated", async () => {
    const empty = createPostgresStore({
      url: TEST_DATABASE_URL,
      schema: scratchSchemaName(),
      sweepIntervalMs: 0,
    });
    stores.push(empty);
    expect(await schemaVersion(empty.sql)).toBe(0);
  });
});
