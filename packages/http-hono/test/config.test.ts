import { describe, expect, it } from "vitest";
import {
  ConfigError,
  parseServerConfig,
  parseServerConfigJson,
} from "../src/config/load-config.js";

const valid = () => ({
  organizations: [{ id: "acme" }],
  apiKeys: [{ id: "k1", organizationId: "acme", sha256: "a".repeat(64) }],
  agents: [{ id: "agent-1", organizationId: "acme" }],
  channelConnections: [
    {
      id: "wa",
      organizationId: "acme",
      provider: "whatsapp",
      phoneNumberId: "1000",
      accessToken: "env:WA_TOKEN",
    },
  ],
  conversations: [
    { id: "c1", organizationId: "acme", channelConnectionId: "wa", recipient: "5511999990000" },
  ],
});

const problemsOf = (raw: unknown, env: Record<string, string> = { WA_TOKEN: "t" }): string => {
  try {
    parseServerConfig(raw, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
};

describe("server configuration", () => {
  it("reads secrets written as env:NAME from the environment", () => {
    const config = parseServerConfig(valid(), { WA_TOKEN: "secret-from-env" });
    expect(config.channelConnections[0]).toMatchObject({ accessToken: "secret-from-env" });
  });

  it("names a missing environment variable without quoting any secret", () => {
    const message = problemsOf(valid(), {});
    expect(message).toContain(
      "channelConnections.0.accessToken: environment variable WA_TOKEN is not set",
    );
  });

  it("lists every problem at once, each with its path", () => {
    const raw = valid();
    raw.agents.push({ id: "agent-1", organizationId: "ghost" });
    raw.conversations.push({
      id: "c2",
      organizationId: "acme",
      channelConnectionId: "nope",
      recipient: "1",
    });
    (raw as Record<string, unknown>).extra = true;
    const message = problemsOf(raw);
    expect(message).toContain("agents.1.id: duplicate id");
    expect(message).toContain('agents.1.organizationId: unknown organization "ghost"');
    expect(message).toContain(
      'conversations.1.channelConnectionId: unknown channel connection "nope"',
    );
    expect(message).toMatch(/extra/);
  });

  it("refuses a conversation on another organization's connection", () => {
    const raw = valid();
    raw.organizations.push({ id: "globex" });
    raw.conversations.push({
      id: "c2",
      organizationId: "globex",
      channelConnectionId: "wa",
      recipient: "1",
    });
    expect(problemsOf(raw)).toContain("belongs to another organization");
  });

  it("refuses an unknown provider and names the field", () => {
    const raw = valid();
    (raw.channelConnections[0] as Record<string, unknown>).provider = "telegram";
    expect(problemsOf(raw)).toContain("channelConnections.0.provider");
  });

  it("refuses a configuration with no way to authenticate", () => {
    expect(problemsOf({ ...valid(), apiKeys: [] })).toContain("at least one API key");
  });

  it("refuses an API key given in clear instead of its digest", () => {
    const raw = valid();
    raw.apiKeys[0] = { id: "k1", organizationId: "acme", sha256: "rk_live_plaintext" };
    expect(problemsOf(raw)).toContain("apiKeys.0.sha256");
  });

  it("reports text that is not JSON clearly", () => {
    expect(() => parseServerConfigJson("{ not json")).toThrow(/not valid JSON/);
  });
});
