import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  MIN_WEBHOOK_SECRET_LENGTH,
  parseAdapterOptions,
  webhookSecretOption,
} from "../src/index.js";

// The webhookSecret of a provider that signs nothing: optional, long, and made only of the
// characters a URL path segment carries unencoded. Its messages never quote the value.

const schema = z.object({ webhookSecret: webhookSecretOption("a long random string") });
const parse = (webhookSecret: unknown) =>
  parseAdapterOptions("createAcmeChannel", schema, { webhookSecret });

describe("webhookSecretOption", () => {
  it("is optional", () => {
    expect(parseAdapterOptions("createAcmeChannel", schema, {})).toEqual({});
  });

  it.each(["A-z0.9_~".repeat(2), "a".repeat(MIN_WEBHOOK_SECRET_LENGTH), "x".repeat(200)])(
    "accepts %j",
    (secret) => {
      expect(parse(secret)).toEqual({ webhookSecret: secret });
    },
  );

  it("refuses one character fewer than the minimum, saying how long it must be", () => {
    expect(() => parse("a".repeat(MIN_WEBHOOK_SECRET_LENGTH - 1))).toThrow(
      `webhookSecret must be at least ${MIN_WEBHOOK_SECRET_LENGTH} characters long`,
    );
    expect(MIN_WEBHOOK_SECRET_LENGTH).toBe(16);
  });

  it.each([
    `${"a".repeat(16)}/x`,
    `${"a".repeat(16)}?x`,
    `${"a".repeat(16)}%2F`,
    `${"a".repeat(16)} `,
    `é${"a".repeat(16)}`,
    `${"a".repeat(16)}+`,
  ])("refuses %j, naming the rule and not the value", (secret) => {
    let message = "";
    try {
      parse(secret);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("webhookSecret must hold only letters, digits");
    expect(message).not.toContain(secret);
  });

  it("refuses an empty secret, saying to leave it out instead", () => {
    expect(() => parse("")).toThrow("webhookSecret must not be empty: leave it out");
  });

  it("says what the secret is when it has the wrong type", () => {
    expect(() => parse(42)).toThrow("webhookSecret is required (a long random string)");
  });
});
