import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  parseServerConfig,
  parseServerConfigJson,
} from "../src/config/load-config.js";
import { minimalConfig } from "./support.js";

const valid = minimalConfig;

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
    expect(message.match(/channelConnections\.0\.accessToken/g)).toHaveLength(1);
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

  it("accepts an at-most-once delivery policy", () => {
    const config = parseServerConfig(
      { ...valid(), delivery: { retryWhenDeliveryUnknown: false } },
      { WA_TOKEN: "t" },
    );
    expect(config.delivery).toEqual({ retryWhenDeliveryUnknown: false });
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

  const configErrorOf = (text: string): string => {
    try {
      parseServerConfigJson(text);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error("expected a ConfigError");
  };

  it.each([
    ['{\n  "apiKeys": [\n    {"sha256": "abc\u0001SUPERSECRET"}\n  ]\n}', 36, 3, 20],
    ['{"a": "SUPERSECRET', 18, 1, 19],
    ['{"a": 1,\r\n "SUPERSECRET" 2}', 25, 2, 16],
  ])(
    "reports the position of a JSON syntax error, never the text around it: %j",
    (text, position, line, column) => {
      const message = configErrorOf(text);
      expect(message).toContain("not valid JSON");
      expect(message).toContain(`line ${line}, column ${column} (position ${position})`);
      expect(message).not.toMatch(/SUPERSECRET|SUPERSECRE|ERSECRET/);
    },
  );

  it.each([
    '{"sessions":{"jwtSecret":SUPERSECRET_VALUE_1234567890}}',
    '{"a": trueSUPERSECRET}',
    "",
  ])("never quotes the text, even where the engine's message would: %j", (text) => {
    const message = configErrorOf(text);
    expect(message).toContain("not valid JSON");
    expect(message).not.toMatch(/SUPERSECRET|SUPERSECRE|ERSECRET|Unexpected token/);
  });

  it("never quotes any of the text of an invalid JSON configuration", () => {
    const secret = "S3CRET-zq";
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (before, after) => {
        const text = `${before}${secret}${after}`;
        let parsed = true;
        try {
          JSON.parse(text);
        } catch {
          parsed = false;
        }
        fc.pre(!parsed);
        expect(configErrorOf(text)).not.toContain("S3CRET");
      }),
    );
  });

  describe("refuses what the adapters would refuse, at start, each problem with its path", () => {
    const withConnection = (changes: Record<string, unknown>) => {
      const raw = valid();
      Object.assign(raw.channelConnections[0] as Record<string, unknown>, changes);
      return raw;
    };

    it.each([
      ["an access token with a space", { accessToken: "EAAG secret" }, "accessToken"],
      ["an access token ending in a newline", { accessToken: "EAAGsecret\n" }, "accessToken"],
      ["a phone number id with a slash", { phoneNumberId: "10/../00" }, "phoneNumberId"],
      ["a baseUrl with user info", { baseUrl: "https://user:hunter2@graph.example" }, "baseUrl"],
      ["a baseUrl with a query", { baseUrl: "https://graph.example/?key=hunter2" }, "baseUrl"],
      ["a baseUrl with a fragment", { baseUrl: "https://graph.example/#hunter2" }, "baseUrl"],
      ["a timeoutMs no timer can hold", { timeoutMs: 2 ** 31 }, "timeoutMs"],
    ])("%s", (_case, changes, field) => {
      const message = problemsOf(withConnection(changes), { WA_TOKEN: "t" });
      expect(message).toContain(`channelConnections.0.${field}: `);
      for (const value of Object.values(changes)) {
        if (typeof value === "string") expect(message).not.toContain(value.trim());
      }
      expect(message).not.toContain("hunter2");
    });

    it("a Z-API credential with whitespace, and a Zapper key outside printable ASCII", () => {
      const raw = valid();
      (raw.channelConnections as Record<string, unknown>[]).push(
        {
          id: "zapi",
          organizationId: "acme",
          provider: "zapi",
          instanceId: "inst",
          instanceToken: "tok en",
          clientToken: "client",
        },
        {
          id: "zapper",
          organizationId: "acme",
          provider: "zapper",
          instanceId: "inst",
          apiKey: "clé-secrète",
        },
      );
      const message = problemsOf(raw);
      expect(message).toContain("channelConnections.1.instanceToken: ");
      expect(message).toContain("channelConnections.2.apiKey: ");
      expect(message).not.toContain("tok en");
      expect(message).not.toContain("clé-secrète");
    });

    it("accepts the largest timeoutMs a timer can hold, and a baseUrl with a path", () => {
      const config = parseServerConfig(
        withConnection({ timeoutMs: 2 ** 31 - 1, baseUrl: "http://127.0.0.1:8080/graph/" }),
        { WA_TOKEN: "t" },
      );
      expect(config.channelConnections[0]).toMatchObject({ timeoutMs: 2 ** 31 - 1 });
    });
  });

  it("refuses two API keys with the same digest, naming the second", () => {
    const raw = valid();
    raw.apiKeys.push({ id: "k2", organizationId: "acme", sha256: "a".repeat(64) });
    const message = problemsOf(raw);
    expect(message).toContain("apiKeys.1.sha256: ");
    expect(message).toContain("apiKeys.0");
  });

  it.each([
    ["an empty issuer", { issuer: "" }, "sessions.issuer"],
    ["an empty audience", { audience: "" }, "sessions.audience"],
  ])("refuses %s, which would turn its check off", (_case, sessions, path) => {
    const raw = { ...valid(), sessions: { jwtSecret: "s".repeat(32), ...sessions } };
    expect(problemsOf(raw)).toContain(`${path}: `);
  });
});
