import { WHATSAPP_CLOUD_LIMITS } from "@replykit/core";
import { describe, expect, it } from "vitest";
import {
  createZapperChannel,
  DEFAULT_ZAPPER_BASE_URL,
  DEFAULT_ZAPPER_TIMEOUT_MS,
  optionsSchema,
  ZAPPER_CAPABILITIES,
  type ZapperChannelOptions,
} from "../src/index.js";

const valid: ZapperChannelOptions = { instanceId: "inst_abc", apiKey: "zapper-key-123" };

function problemWith(options: unknown): string {
  try {
    createZapperChannel(options as ZapperChannelOptions);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected createZapperChannel to throw");
}

describe("createZapperChannel options", () => {
  it("makes a channel from an instance id and an API key alone", () => {
    const channel = createZapperChannel(valid);
    expect(channel.provider).toBe("zapper");
    expect(DEFAULT_ZAPPER_BASE_URL).toBe("https://api.zapperapi.com");
    expect(DEFAULT_ZAPPER_TIMEOUT_MS).toBe(10_000);
  });

  it("declares 3 buttons, WhatsApp's limits, header, footer and best-effort rendering", () => {
    expect(createZapperChannel(valid).capabilities).toStrictEqual({
      maxButtons: 3,
      limits: WHATSAPP_CLOUD_LIMITS,
      header: true,
      footer: true,
      buttonRendering: "best-effort",
    });
    expect(Object.isFrozen(ZAPPER_CAPABILITIES)).toBe(true);
  });

  it.each([
    [{ apiKey: "k" }, /instanceId is required/],
    [{ instanceId: "i" }, /apiKey is required/],
    [{ instanceId: "", apiKey: "k" }, /instanceId is required/],
    [{ instanceId: "i", apiKey: "" }, /apiKey is required/],
    [{ instanceId: "i", apiKey: "key\n" }, /apiKey must be printable ASCII without spaces/],
    [{ instanceId: "in st", apiKey: "k" }, /instanceId must be printable ASCII/],
    [{ ...valid, baseUrl: "api.zapperapi.com" }, /baseUrl must be an absolute http\(s\) URL/],
    [{ ...valid, baseUrl: "ftp://api.zapperapi.com" }, /baseUrl must be an absolute http\(s\) URL/],
    [{ ...valid, baseUrl: "https://x.example/?a=1" }, /without query or fragment/],
    [{ ...valid, timeoutMs: 0 }, /timeoutMs must be positive/],
    [{ ...valid, timeoutMs: 1.5 }, /timeoutMs must be a whole number/],
    [{ ...valid, timeoutMs: Number.NaN }, /timeoutMs/],
    [{ ...valid, transport: "fetch" }, /transport must be a function/],
    [{ ...valid, expiration: "1h" }, /expiration must be one of/],
  ])("refuses %j with a clear message", (options, expected) => {
    expect(problemWith(options)).toMatch(expected);
  });

  it("lists every problem at once", () => {
    const message = problemWith({ baseUrl: "nope", timeoutMs: -1 });
    expect(message).toMatch(/instanceId/);
    expect(message).toMatch(/apiKey/);
    expect(message).toMatch(/baseUrl/);
    expect(message).toMatch(/timeoutMs/);
  });

  it("refuses missing options altogether", () => {
    expect(problemWith(undefined)).toMatch(/instanceId is required/);
  });

  it("never quotes the credential it refuses", () => {
    const message = problemWith({ instanceId: "inst secret-instance", apiKey: "top secret-key" });
    expect(message).not.toContain("secret-instance");
    expect(message).not.toContain("secret-key");
  });

  it("takes an optional webhookSecret of 16 or more URL-safe characters", () => {
    expect(() => createZapperChannel(valid)).not.toThrow();
    expect(() =>
      createZapperChannel({ ...valid, webhookSecret: "A-b_c.d~0123456789" }),
    ).not.toThrow();
    expect(optionsSchema.parse({ ...valid, webhookSecret: "x".repeat(16) }).webhookSecret).toBe(
      "x".repeat(16),
    );
  });

  it.each([
    ["too short", "short-secret-15", /webhookSecret must be at least 16 characters/],
    ["empty", "", /webhookSecret must not be empty/],
    ["with whitespace", "secret with spaces 0123", /webhookSecret must hold only letters/],
    ["with a slash", "secret/with/slash/0123", /webhookSecret must hold only letters/],
    ["with non-ASCII", "sécret-with-accent-0123", /webhookSecret must hold only letters/],
    ["not a string", 1234567890123456, /webhookSecret/],
  ])("refuses a webhookSecret %s, without quoting it", (_case, webhookSecret, rule) => {
    const message = problemWith({ ...valid, webhookSecret });
    expect(message).toMatch(rule);
    if (typeof webhookSecret === "string" && webhookSecret !== "") {
      expect(message).not.toContain(webhookSecret);
    }
  });
});
