import { describe, expect, it } from "vitest";
import { hmacSha256Hex, timingSafeEqual } from "../src/index.js";

// The two primitives webhook verification stands on.

const bytes = (text: string) => new TextEncoder().encode(text);

describe("hmacSha256Hex", () => {
  it("gives the well-known HMAC-SHA256 of the quick brown fox, 64 hex digits", async () => {
    const hex = await hmacSha256Hex("key", bytes("The quick brown fox jumps over the lazy dog"));
    expect(hex).toBe("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    expect(hex).toHaveLength(64);
  });
});

describe("timingSafeEqual", () => {
  it.each([
    ["", ""],
    ["a", "a"],
    ["sha256=0a1b2c", "sha256=0a1b2c"],
    ["ünïcödé ✓", "ünïcödé ✓"],
  ])("says %j equals itself", (a, b) => {
    expect(timingSafeEqual(a, b)).toBe(true);
  });

  it.each([
    ["abc", "abd"],
    ["abc", "xbc"],
    ["abc", "ab"],
    ["ab", "abc"],
    ["abc", ""],
    ["", "abc"],
    ["abcabc", "abc"],
    ["aaaa", "a"],
    ["é", "e"],
  ])("says %j and %j differ", (a, b) => {
    expect(timingSafeEqual(a, b)).toBe(false);
  });
});
