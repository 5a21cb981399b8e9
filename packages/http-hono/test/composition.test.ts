import { describe, expect, it } from "vitest";
import { ConfigError, createConfiguredApp, type ServerConfig } from "../src/composition/index.js";

const DIGEST = "a".repeat(64);

/** A configuration that skipped `parseServerConfig`, as an embedder may build one in code. */
const unchecked = (changes: Partial<ServerConfig> = {}): ServerConfig => ({
  organizations: [{ id: "acme" }],
  apiKeys: [{ id: "k1", organizationId: "acme", sha256: DIGEST }],
  agents: [{ id: "agent-1", organizationId: "acme" }],
  channelConnections: [
    {
      id: "wa",
      organizationId: "acme",
      provider: "whatsapp",
      phoneNumberId: "1000",
      accessToken: "EAAG-good-token",
    },
  ],
  conversations: [{ id: "c1", organizationId: "acme", channelConnectionId: "wa", recipient: "55" }],
  ...changes,
});

function configErrorOf(config: ServerConfig): ConfigError {
  try {
    createConfiguredApp(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("expected the configuration to be refused");
}

describe("createConfiguredApp with values an adapter or authenticator refuses", () => {
  it("builds the app for a sound configuration", () => {
    expect(() => createConfiguredApp(unchecked())).not.toThrow();
  });

  it("throws a ConfigError naming the connection's path, without quoting its values", () => {
    const error = configErrorOf(
      unchecked({
        channelConnections: [
          {
            id: "wa",
            organizationId: "acme",
            provider: "whatsapp",
            phoneNumberId: "1000",
            accessToken: "EAAG-good-token",
          },
          {
            id: "zapper-1",
            organizationId: "acme",
            provider: "zapper",
            instanceId: "instance-SECRET-1",
            apiKey: "key with SECRET-2 inside",
            baseUrl: "https://user:SECRET-3@zapper.example",
          },
        ],
      }),
    );
    expect(error.message).toContain("channelConnections.1");
    expect(error.message).toMatch(/apiKey/);
    expect(error.message).not.toMatch(/SECRET/);
    expect(error.cause).toBeUndefined();
  });

  it("throws a ConfigError naming apiKeys for two keys with one digest", () => {
    const error = configErrorOf(
      unchecked({
        apiKeys: [
          { id: "k1", organizationId: "acme", sha256: DIGEST },
          { id: "k2", organizationId: "acme", sha256: DIGEST },
        ],
      }),
    );
    expect(error.message).toContain("apiKeys");
    expect(error.message).not.toContain(DIGEST);
  });

  it.each([
    ["a short secret", { jwtSecret: "SECRET-short" }],
    ["an empty issuer", { jwtSecret: "SECRET-".repeat(8), issuer: "" }],
    ["an empty audience", { jwtSecret: "SECRET-".repeat(8), audience: "" }],
  ])("throws a ConfigError naming sessions for %s", (_case, sessions) => {
    const error = configErrorOf(unchecked({ sessions }));
    expect(error.message).toContain("sessions");
    expect(error.message).not.toMatch(/SECRET/);
  });
});
