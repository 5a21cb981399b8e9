import { describe, expect, it } from "vitest";
import {
  baseUrlOption,
  credentialOption,
  PRINTABLE_ASCII,
  quoteProviderText,
  redactor,
} from "../src/index.js";

// The edges of the option rules and of quoted provider text.

const messages = (result: { error?: { issues: { message: string }[] } | undefined }) =>
  result.error?.issues.map((issue) => issue.message) ?? [];

describe("option rules at their edges", () => {
  it("refuses a baseUrl with a password even without a user name", () => {
    expect(
      messages(baseUrlOption("https://api.example").safeParse("https://:pass@api.example")),
    ).toEqual([
      "baseUrl must be an absolute http(s) URL without query or fragment, and without user info",
    ]);
  });

  it("refuses a printable-ASCII credential whose first character is not", () => {
    const ascii = credentialOption("apiKey", { form: PRINTABLE_ASCII });
    expect(messages(ascii.safeParse("ékey"))).toEqual([
      "apiKey must be printable ASCII without spaces",
    ]);
    expect(messages(ascii.safeParse(" key"))).toEqual([
      "apiKey must be printable ASCII without spaces",
    ]);
  });

  it("checks a credential against the default form when none is given", () => {
    expect(messages(credentialOption("apiKey", {}).safeParse("a key"))).toEqual([
      "apiKey must not contain whitespace or control characters",
    ]);
    expect(messages(credentialOption("apiKey", { what: "the key" }).safeParse("key"))).toEqual([]);
  });
});

describe("quoteProviderText at its bound", () => {
  const keep = redactor([]);

  it("keeps a text of exactly maxLength code points whole", () => {
    expect(quoteProviderText("abcde", { redact: keep, maxLength: 5 })).toBe("abcde");
    expect(quoteProviderText("👍👍👍", { redact: keep, maxLength: 3 })).toBe("👍👍👍");
  });

  it("cuts one code point more to maxLength, the ellipsis included", () => {
    expect(quoteProviderText("abcdef", { redact: keep, maxLength: 5 })).toBe("abcd…");
  });
});
