import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/config/load-config.js";
import { openPostgresStores } from "../src/node/shared-stores.js";

const DATABASE_URL =
  process.env.REPLYKIT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

const postgres = (url: string, schema?: string) => ({
  kind: "postgres" as const,
  url,
  migrate: false,
  directories: "config" as const,
  ...(schema === undefined ? {} : { schema }),
});

describe("opening the configuration's PostgreSQL store", () => {
  it("fails with a ConfigError naming the failure, never the URL's password", async () => {
    const opening = openPostgresStores(
      postgres("postgres://replykit:P%40ss-W0rd-SECRET@127.0.0.1:1/app"),
    );
    await expect(opening).rejects.toThrow(ConfigError);
    const message = await opening.catch((error: Error) => error.message);
    expect(message).toMatch(/^cannot use the PostgreSQL store: .*ECONNREFUSED/);
    expect(message).not.toContain("W0rd-SECRET");
  });

  it("refuses a database whose schema is behind, naming the command that migrates it", async () => {
    await expect(
      openPostgresStores(postgres(DATABASE_URL, "replykit_never_migrated")),
    ).rejects.toThrow(/schema is at version 0, this server needs 1: run `replykit-admin migrate`/);
  });
});
