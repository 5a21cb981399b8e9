import { describe, expect, it } from "vitest";
import {
  InvalidMessage,
  isProviderError,
  ProviderRejected,
  ProviderUnavailable,
} from "../src/index.js";

// isProviderError reads whatever an adapter rejected with: it must answer for any value,
// never throw, and recognise the provider errors of another copy of the package by their tag.
describe("isProviderError", () => {
  it("recognises both provider errors, and their look-alikes from another copy by tag", () => {
    expect(isProviderError(new ProviderRejected({ provider: "p", message: "m" }))).toBe(true);
    expect(
      isProviderError(new ProviderUnavailable({ provider: "p", retryable: true, message: "m" })),
    ).toBe(true);
    expect(isProviderError({ _tag: "ProviderRejected" })).toBe(true);
    expect(isProviderError({ _tag: "ProviderUnavailable" })).toBe(true);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a string", "ProviderRejected"],
    ["a number", 42],
    ["a plain Error", new Error("ProviderRejected")],
    ["another tagged error", new InvalidMessage({ issues: [], message: "m" })],
    ["an object with another tag", { _tag: "Unauthorized" }],
  ])("says no, without throwing, for %s", (_, value) => {
    expect(isProviderError(value)).toBe(false);
  });
});
