import { describe, expect, it } from "vitest";
import { credentialOption } from "../src/index.js";

describe("an option that becomes a URL path segment", () => {
  const option = credentialOption("instanceId", { inUrlPath: true });

  it.each([".", ".."])("refuses %j, which URL parsers resolve as a dot segment", (value) => {
    const parsed = option.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      'instanceId must not be "." or "..", which would change the request\'s URL path',
    );
  });

  it.each(["...", ".a", "a..", "1234567890"])("accepts %j", (value) => {
    expect(option.safeParse(value).success).toBe(true);
  });

  it("is not checked for options that never go into a path", () => {
    expect(credentialOption("apiKey").safeParse("..").success).toBe(true);
  });
});
