import { describe, expect, it } from "vitest";
import { parseRetryAfter } from "../src/index.js";

// Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3); anything else is ignored
// rather than read as a wait it does not say.
describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");

  it.each([
    ["12", 12_000],
    ["120", 120_000],
    ["\t30\n", 30_000],
  ])("reads the delta-seconds %j as %j ms, every digit counted", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each(["3 seconds", "12abc", "5s", "1.5", "+5", "", "   "])(
    "ignores %j, which is neither delta-seconds nor an HTTP date",
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );

  it("measures an HTTP date from now, by default the current time", () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const wait = parseRetryAfter(inTenSeconds);
    expect(wait).toBeGreaterThan(8_000);
    expect(wait).toBeLessThanOrEqual(10_000);
  });
});
