import { describe, expect, it } from "vitest";
import { ConfigError, parseServerConfig } from "../src/config/load-config.js";
import { minimalConfig } from "./support.js";

const env = { WA_TOKEN: "t", DATABASE_URL: "postgres://replykit:S3CRET-PASSWORD@db:5432/app" };

const problemsOf = (raw: unknown): string => {
  try {
    parseServerConfig(raw, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
};

describe("the configuration's store", () => {
  it("is in memory when not named", () => {
    expect(parseServerConfig(minimalConfig(), env).store).toBeUndefined();
  });

  it("reads a PostgreSQL store, its URL from the environment, with migrations off and the file's directories by default", () => {
    const config = parseServerConfig(
      { ...minimalConfig(), store: { kind: "postgres", url: "env:DATABASE_URL", poolSize: 4 } },
      env,
    );
    expect(config.store).toEqual({
      kind: "postgres",
      url: env.DATABASE_URL,
      poolSize: 4,
      migrate: false,
      directories: "config",
    });
  });

  it("refuses a URL that is not postgres://, without quoting it", () => {
    const message = problemsOf({
      ...minimalConfig(),
      store: { kind: "postgres", url: "mysql://root:TOPSECRET@db/app" },
    });
    expect(message).toContain("store.url: expected a postgres:// connection string");
    expect(message).not.toContain("TOPSECRET");
  });

  it("refuses an unknown store kind and unknown store fields", () => {
    expect(problemsOf({ ...minimalConfig(), store: { kind: "redis" } })).toContain("store");
    expect(
      problemsOf({
        ...minimalConfig(),
        store: { kind: "postgres", url: "postgres://db/app", lease: 5 },
      }),
    ).toContain("store");
  });

  it("with directories in the database, needs no organization, key, agent or conversation in the file", () => {
    const config = parseServerConfig(
      { store: { kind: "postgres", url: "env:DATABASE_URL", directories: "postgres" } },
      env,
    );
    expect(config.agents).toEqual([]);
    expect(config.conversations).toEqual([]);
  });

  it("with directories in the database, refuses the file's own lists, which would be ignored", () => {
    const { organizations, apiKeys, ...lists } = minimalConfig();
    const message = problemsOf({
      organizations,
      apiKeys,
      ...lists,
      store: { kind: "postgres", url: "env:DATABASE_URL", directories: "postgres" },
    });
    expect(message).toContain('agents: store.directories is "postgres"');
    expect(message).toContain('conversations: store.directories is "postgres"');
    expect(message).toContain('channelConnections: store.directories is "postgres"');
  });

  it("still needs an organization and a way to authenticate when the directories are the file's", () => {
    const message = problemsOf({
      agents: [],
      channelConnections: [],
      conversations: [],
    });
    expect(message).toContain("organizations: configure at least one organization");
    expect(message).toContain("apiKeys: configure at least one API key");
  });
});
