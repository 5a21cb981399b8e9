import { describe, expect, it } from "vitest";
import { createZapiChannel, optionsSchema, type ZapiChannelOptions } from "../src/index.js";

const valid: ZapiChannelOptions = {
  instanceId: "3C01A-instance",
  instanceToken: "F00D-instance-token",
  clientToken: "client-token-secret",
};

const creationError = (options: unknown): Error => {
  try {
    createZapiChannel(options as ZapiChannelOptions);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected createZapiChannel to throw");
};

describe("createZapiChannel options", () => {
  it("creates a channel named zapi with the documented defaults", () => {
    const channel = createZapiChannel(valid);
    expect(channel.provider).toBe("zapi");
    expect(channel.capabilities).toEqual({
      maxButtons: 3,
      limits: { buttonTitle: 20, buttonId: 256, body: 1024, header: 60, footer: 60 },
      header: true,
      footer: true,
      buttonRendering: "best-effort",
    });
  });

  it("declares no header or footer for endpoint button-list", () => {
    const { capabilities } = createZapiChannel({ ...valid, endpoint: "button-list" });
    expect(capabilities).toMatchObject({ header: false, footer: false, maxButtons: 3 });
  });

  it.each(["instanceId", "instanceToken", "clientToken"] as const)(
    "refuses a missing or empty %s",
    (field) => {
      const { [field]: _, ...without } = valid;
      expect(creationError(without).message).toContain(`${field} is required`);
      expect(creationError({ ...valid, [field]: "" }).message).toContain(`${field} is required`);
      expect(creationError({ ...valid, [field]: 42 }).message).toContain(field);
    },
  );

  it("refuses a credential with whitespace without quoting it", () => {
    const error = creationError({ ...valid, instanceToken: "abc def-secret" });
    expect(error.message).toContain("instanceToken must not contain whitespace");
    expect(error.message).not.toContain("def-secret");
  });

  it("lists every problem at once", () => {
    const error = creationError({ baseUrl: "ftp://x", delayMessageSeconds: 16 });
    expect(error.message).toMatch(/instanceId is required/);
    expect(error.message).toMatch(/instanceToken is required/);
    expect(error.message).toMatch(/clientToken is required/);
    expect(error.message).toMatch(/baseUrl/);
    expect(error.message).toMatch(/delayMessageSeconds/);
  });

  it.each([
    "not a url",
    "ftp://api.z-api.io",
    "https://api.z-api.io?x=1",
    "https://api.z-api.io#top",
    "https://user:pass@api.z-api.io",
  ])("refuses baseUrl %j", (baseUrl) => {
    expect(creationError({ ...valid, baseUrl }).message).toMatch(/baseUrl must be an absolute/);
  });

  it.each([0, 16, 2.5, Number.NaN])(
    "refuses delayMessageSeconds %d (Z-API allows 1–15)",
    (delay) => {
      expect(creationError({ ...valid, delayMessageSeconds: delay }).message).toMatch(
        /delayMessageSeconds/,
      );
    },
  );

  it.each([0, -1, 1.5, Number.POSITIVE_INFINITY])("refuses timeoutMs %d", (timeoutMs) => {
    expect(creationError({ ...valid, timeoutMs }).message).toMatch(/timeoutMs/);
  });

  it("refuses an unknown endpoint and a transport that is not a function", () => {
    expect(creationError({ ...valid, endpoint: "send-text" }).message).toMatch(/endpoint must be/);
    expect(creationError({ ...valid, transport: "fetch" }).message).toMatch(
      /transport must be a function/,
    );
  });

  it("never quotes a credential in an options error", () => {
    const error = creationError({ ...valid, baseUrl: `https://x/${valid.clientToken}?q` });
    const rendered = [error.message, String(error), error.stack ?? ""].join("\n");
    for (const secret of [valid.instanceToken, valid.clientToken]) {
      expect(rendered).not.toContain(secret);
    }
  });

  it("takes an optional webhookSecret of 16 or more URL-safe characters", () => {
    expect(() => createZapiChannel(valid)).not.toThrow();
    expect(() =>
      createZapiChannel({ ...valid, webhookSecret: "A-b_c.d~0123456789" }),
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
    ["with a query mark", "secret?with=query-0123", /webhookSecret must hold only letters/],
    ["not a string", 1234567890123456, /webhookSecret/],
  ])("refuses a webhookSecret %s, without quoting it", (_case, webhookSecret, rule) => {
    const message = creationError({ ...valid, webhookSecret }).message;
    expect(message).toMatch(rule);
    if (typeof webhookSecret === "string" && webhookSecret !== "") {
      expect(message).not.toContain(webhookSecret);
    }
  });
});
