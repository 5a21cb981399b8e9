import type { Authenticator, Principal } from "@replykit/core";
import {
  FakeChannel,
  InMemoryAgentDirectory,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  ManualClock,
  RecordingLogger,
} from "@replykit/core/testing";
import { sign } from "hono/jwt";
import { describe, expect, it, vi } from "vitest";
import {
  anyOf,
  constantTimeEqual,
  createApiKeyAuthenticator,
  createApp,
  createJwtSessionAuthenticator,
  hashApiKey,
  parseBearer,
} from "../src/index.js";

// The real comparison, observed: every module that imports it (the authenticator's default
// included) gets this spy, which compares exactly as the original does.
vi.mock("../src/auth/constant-time.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/auth/constant-time.js")>();
  return { ...original, constantTimeEqual: vi.fn(original.constantTimeEqual) };
});

const KEY_A = "rk_live_4f9c2d7e1a6b8053c9e4f1a2";
const KEY_B = "rk_live_b71e0c93d5a24f68e1c0d9b3";
const SECRET = "a-session-secret-of-at-least-32-characters!";
const nowSeconds = () => Math.floor(Date.now() / 1000);

async function apiKeyRecords() {
  return [
    { id: "key_a", organizationId: "org_a", sha256: await hashApiKey(KEY_A) },
    { id: "key_b", organizationId: "org_b", sha256: await hashApiKey(KEY_B) },
  ];
}

describe("hashApiKey", () => {
  it("is the hex SHA-256 of the key", async () => {
    expect(await hashApiKey("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });
});

describe("constantTimeEqual", () => {
  const bytes = (...values: number[]) => new Uint8Array(values);
  it("is true for equal bytes and false otherwise", () => {
    expect(constantTimeEqual(bytes(1, 2, 3), bytes(1, 2, 3))).toBe(true);
    expect(constantTimeEqual(bytes(1, 2, 3), bytes(1, 2, 4))).toBe(false);
    expect(constantTimeEqual(bytes(1, 2, 3), bytes(1, 2))).toBe(false);
    expect(constantTimeEqual(bytes(), bytes(0))).toBe(false);
    expect(constantTimeEqual(bytes(), bytes())).toBe(true);
  });
});

describe("createApiKeyAuthenticator", () => {
  it("recognises a stored key as an api_key principal whose subject is the key id", async () => {
    const authenticator = createApiKeyAuthenticator(await apiKeyRecords());
    expect(await authenticator.authenticate(KEY_A)).toEqual({
      kind: "api_key",
      subject: "key_a",
      organizationId: "org_a",
    });
    expect(await authenticator.authenticate(KEY_B)).toMatchObject({ organizationId: "org_b" });
  });

  it("refuses an unknown key, and a key that differs only in its last character", async () => {
    const authenticator = createApiKeyAuthenticator(await apiKeyRecords());
    expect(await authenticator.authenticate("rk_live_nope")).toBeUndefined();
    expect(await authenticator.authenticate(`${KEY_A.slice(0, -1)}3`)).toBeUndefined();
    expect(await authenticator.authenticate(`${KEY_A} `)).toBeUndefined();
    expect(await authenticator.authenticate(KEY_A.toUpperCase())).toBeUndefined();
  });

  it("accepts upper-case hex digests", async () => {
    const [record] = await apiKeyRecords();
    if (record === undefined) throw new Error("no record");
    const authenticator = createApiKeyAuthenticator([
      { ...record, sha256: record.sha256.toUpperCase() },
    ]);
    expect(await authenticator.authenticate(KEY_A)).toBeDefined();
  });

  it("refuses a configuration with a malformed digest or a key twice", async () => {
    expect(() =>
      createApiKeyAuthenticator([{ id: "k", organizationId: "o", sha256: KEY_A }]),
    ).toThrow(/64 hex/);
    const [record] = await apiKeyRecords();
    if (record === undefined) throw new Error("no record");
    expect(() => createApiKeyAuthenticator([record, { ...record, id: "copy" }])).toThrow(/twice/);
  });

  describe("lookup by digest, then a constant-time check", () => {
    const counting = () => {
      const calls: [Uint8Array, Uint8Array][] = [];
      const compare = (a: Uint8Array, b: Uint8Array) => {
        calls.push([a, b]);
        return constantTimeEqual(a, b);
      };
      return { calls, compare };
    };
    const manyRecords = async (count: number) => [
      ...(await apiKeyRecords()),
      ...(await Promise.all(
        Array.from({ length: count }, async (_, index) => ({
          id: `key_${index}`,
          organizationId: "org_many",
          sha256: await hashApiKey(`many-${index}`),
        })),
      )),
    ];

    it("finds a key among thousands with one comparison, against that key's digest", async () => {
      const records = await manyRecords(2_000);
      const { calls, compare } = counting();
      const authenticator = createApiKeyAuthenticator(records, { compare });
      expect(await authenticator.authenticate("many-1234")).toEqual({
        kind: "api_key",
        subject: "key_1234",
        organizationId: "org_many",
      });
      expect(calls).toHaveLength(1);
      const [[presented, stored] = []] = calls;
      expect(presented?.length).toBe(32);
      expect(stored).toEqual(presented);
    });

    it("compares nothing for a token whose digest is not stored", async () => {
      const { calls, compare } = counting();
      const authenticator = createApiKeyAuthenticator(await manyRecords(100), { compare });
      expect(await authenticator.authenticate("wrong")).toBeUndefined();
      expect(calls).toHaveLength(0);
    });

    it("refuses a found key whose constant-time check fails", async () => {
      const authenticator = createApiKeyAuthenticator(await apiKeyRecords(), {
        compare: () => false,
      });
      expect(await authenticator.authenticate(KEY_A)).toBeUndefined();
    });

    it("by default checks the found digest with constantTimeEqual", async () => {
      const authenticator = createApiKeyAuthenticator(await apiKeyRecords());
      const spy = vi.mocked(constantTimeEqual);
      spy.mockClear();
      expect(await authenticator.authenticate(KEY_B)).toMatchObject({ subject: "key_b" });
      expect(spy).toHaveBeenCalledTimes(1);
      const [[, stored] = []] = spy.mock.calls;
      expect(Array.from(stored ?? [], (byte) => byte.toString(16).padStart(2, "0")).join("")).toBe(
        await hashApiKey(KEY_B),
      );
    });

    it("hashes with the sha256 it is given (node:crypto on Node), once per authentication", async () => {
      const { createHash } = await import("node:crypto");
      const hashed: string[] = [];
      const authenticator = createApiKeyAuthenticator(await apiKeyRecords(), {
        sha256: (text) => {
          hashed.push(text);
          return createHash("sha256").update(text).digest();
        },
      });
      expect(await authenticator.authenticate(KEY_A)).toMatchObject({ subject: "key_a" });
      expect(await authenticator.authenticate("wrong")).toBeUndefined();
      expect(hashed).toEqual([KEY_A, "wrong"]);
    });

    it("treats a digest stored in upper case as the same key", async () => {
      const authenticator = createApiKeyAuthenticator([
        { id: "upper", organizationId: "org_a", sha256: (await hashApiKey(KEY_A)).toUpperCase() },
      ]);
      expect(await authenticator.authenticate(KEY_A)).toMatchObject({ subject: "upper" });
    });
  });
});

describe("createJwtSessionAuthenticator", () => {
  const authenticator = createJwtSessionAuthenticator({
    secret: SECRET,
    issuer: "https://auth.example.com",
    audience: "replykit",
  });
  const claims = (overrides: Record<string, unknown> = {}) => ({
    sub: "user_42",
    org: "org_a",
    iss: "https://auth.example.com",
    aud: "replykit",
    exp: nowSeconds() + 300,
    iat: nowSeconds(),
    ...overrides,
  });

  it("recognises a valid HS256 token as a session principal", async () => {
    const token = await sign(claims(), SECRET, "HS256");
    expect(await authenticator.authenticate(token)).toEqual({
      kind: "session",
      subject: "user_42",
      organizationId: "org_a",
    });
  });

  it.each([
    ["is expired", () => sign(claims({ exp: nowSeconds() - 1 }), SECRET, "HS256")],
    ["has no exp", () => sign(claims({ exp: undefined }), SECRET, "HS256")],
    ["is signed with another secret", () => sign(claims(), `${SECRET}-other`, "HS256")],
    ["uses another algorithm", () => sign(claims(), SECRET, "HS512")],
    ["has no org", () => sign(claims({ org: undefined }), SECRET, "HS256")],
    ["has no sub", () => sign(claims({ sub: "" }), SECRET, "HS256")],
    ["has another issuer", () => sign(claims({ iss: "https://evil.example" }), SECRET, "HS256")],
    ["has another audience", () => sign(claims({ aud: "someone-else" }), SECRET, "HS256")],
    ["is not yet valid", () => sign(claims({ nbf: nowSeconds() + 600 }), SECRET, "HS256")],
  ])("refuses a token that %s", async (_case, make) => {
    expect(await authenticator.authenticate(await make())).toBeUndefined();
  });

  it("refuses a token whose signature was tampered with", async () => {
    const token = await sign(claims(), SECRET, "HS256");
    const [header, payload, signature = ""] = token.split(".");
    // The signature's first character: all 6 of its bits count (the last one's low 2 bits
    // are padding, so changing A to B there may leave the signature as it was).
    const first = signature.startsWith("A") ? "B" : "A";
    const tampered = `${header}.${payload}.${first}${signature.slice(1)}`;
    expect(await authenticator.authenticate(tampered)).toBeUndefined();
  });

  it("refuses an unsigned (alg none) token and text that is not a JWT", async () => {
    const encode = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, "");
    const unsigned = `${encode({ alg: "none", typ: "JWT" })}.${encode(claims())}.`;
    expect(await authenticator.authenticate(unsigned)).toBeUndefined();
    expect(await authenticator.authenticate("not-a-jwt")).toBeUndefined();
    expect(await authenticator.authenticate("a.b.c")).toBeUndefined();
  });

  it("refuses a secret shorter than 32 characters", () => {
    expect(() => createJwtSessionAuthenticator({ secret: "short" })).toThrow(/32/);
  });

  it.each([
    ["an empty issuer", { issuer: "" }, /issuer/],
    ["an empty audience", { audience: "" }, /audience/],
    ["an empty list of audiences", { audience: [] }, /audience/],
    ["a list with an empty audience", { audience: ["replykit", ""] }, /audience/],
  ])("refuses %s, which would silently turn its check off", (_case, options, message) => {
    expect(() => createJwtSessionAuthenticator({ secret: SECRET, ...options })).toThrow(message);
  });

  it("checks aud against any of a list of audiences", async () => {
    const listed = createJwtSessionAuthenticator({ secret: SECRET, audience: ["a", "replykit"] });
    expect(await listed.authenticate(await sign(claims(), SECRET, "HS256"))).toBeDefined();
    const other = await sign(claims({ aud: "someone-else" }), SECRET, "HS256");
    expect(await listed.authenticate(other)).toBeUndefined();
  });
});

describe("anyOf", () => {
  const fixed = (token: string, principal: Principal): Authenticator => ({
    authenticate: async (presented) => (presented === token ? principal : undefined),
  });
  const first: Principal = { kind: "api_key", subject: "first", organizationId: "o" };
  const second: Principal = { kind: "session", subject: "second", organizationId: "o" };

  it("answers with the first authenticator that recognises the token", async () => {
    const both = anyOf(fixed("t", first), fixed("t", second), fixed("u", second));
    expect(await both.authenticate("t")).toBe(first);
    expect(await both.authenticate("u")).toBe(second);
    expect(await both.authenticate("v")).toBeUndefined();
    expect(await anyOf().authenticate("t")).toBeUndefined();
  });
});

describe("parseBearer", () => {
  it.each([
    [undefined, { ok: false, reason: "missing_token" }],
    ["", { ok: false, reason: "missing_token" }],
    ["Bearer abc.def-ghi_~+/=", { ok: true, token: "abc.def-ghi_~+/=" }],
    ["bearer abc", { ok: true, token: "abc" }],
    ["BEARER  abc ", { ok: true, token: "abc" }],
    ["Bearer", { ok: false, reason: "malformed_authorization" }],
    ["Bearer a b", { ok: false, reason: "malformed_authorization" }],
    ["Basic abc", { ok: false, reason: "malformed_authorization" }],
    ["Bearerabc", { ok: false, reason: "malformed_authorization" }],
  ])("reads %j", (header, expected) => {
    expect(parseBearer(header)).toEqual(expected);
  });
});

describe("the app with API keys and sessions together", () => {
  async function makeApp() {
    const channel = new FakeChannel({ provider: "whatsapp" });
    const logger = new RecordingLogger();
    const app = createApp({
      authenticator: anyOf(
        createJwtSessionAuthenticator({ secret: SECRET }),
        createApiKeyAuthenticator(await apiKeyRecords()),
      ),
      agents: new InMemoryAgentDirectory([{ id: "agent_a", organizationId: "org_a" }]),
      conversations: new InMemoryConversationDirectory([
        { id: "conv_a", organizationId: "org_a", channelConnectionId: "c1", recipient: "5511" },
      ]),
      channels: new InMemoryChannelDirectory({ c1: channel }),
      clock: new ManualClock(),
      logger,
    });
    const send = (token: string) =>
      app.request("/messages/interactive/send-buttons", {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({
          agentId: "agent_a",
          conversationId: "conv_a",
          body_text: "Hello",
          button_1_id: "ok",
          button_1_title: "OK",
        }),
      });
    return { send, channel, logger };
  }

  it("sends for an API key and for a session of the agent's organization", async () => {
    const { send, channel } = await makeApp();
    expect((await send(KEY_A)).status).toBe(200);
    const session = await sign(
      { sub: "u1", org: "org_a", exp: nowSeconds() + 60 },
      SECRET,
      "HS256",
    );
    expect((await send(session)).status).toBe(200);
    expect(channel.sends).toHaveLength(2);
  });

  it("answers 401 for a near-miss key and 403 for another organization's key, logging neither", async () => {
    const { send, channel, logger } = await makeApp();
    expect((await send(`${KEY_A.slice(0, -1)}x`)).status).toBe(401);
    expect((await send(KEY_B)).status).toBe(403);
    expect(channel.sends).toHaveLength(0);
    const logged = JSON.stringify(logger.entries);
    expect(logged).not.toContain(KEY_A.slice(0, -1));
    expect(logged).not.toContain(KEY_B);
  });
});
