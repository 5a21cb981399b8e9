import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { oneLine, quoteProviderText, redactor } from "../src/index.js";

const SECRET = "tok/en?x";

describe("redactor", () => {
  const redact = redactor([SECRET, "client-77"]);

  it("blanks every secret as given and URL-encoded", () => {
    expect(redact(`bad path /token/${encodeURIComponent(SECRET)}/send and ${SECRET}`)).toBe(
      "bad path /token/[REDACTED]/send and [REDACTED]",
    );
    expect(redact("Client-Token client-77 not allowed; client-77 again")).toBe(
      "Client-Token [REDACTED] not allowed; [REDACTED] again",
    );
  });

  it("blanks a secret that contains another one whole", () => {
    expect(redactor(["abc", "abcdef"])("key abcdef")).toBe("key [REDACTED]");
  });

  it("never searches its own marker again, whatever the secrets", () => {
    expect(redactor(["secret", "d", "e"])("secret")).toBe("[REDACTED]");
  });

  it("takes secrets with regular-expression characters literally", () => {
    expect(redactor(["a.c", "(x|y)*"])("abc a.c (x|y)* x")).toBe("abc [REDACTED] [REDACTED] x");
  });

  it("ignores empty secrets and leaves text alone without any", () => {
    expect(redactor(["", ""])("nothing to hide")).toBe("nothing to hide");
    expect(redactor([])("nothing to hide")).toBe("nothing to hide");
  });

  it("does not throw on a secret that cannot be URL-encoded", () => {
    expect(redactor(["\uD800lone"])("x \uD800lone y")).toBe("x [REDACTED] y");
  });
});

describe("oneLine", () => {
  it("turns each run of whitespace or control characters into one space, trimmed", () => {
    expect(oneLine("  line one\r\n\tline two\u0000\u001b[31m  red\u2028end  ")).toBe(
      "line one line two [31m red end",
    );
  });
});

describe("quoteProviderText", () => {
  const redact = redactor([SECRET]);

  it("keeps short text as it is", () => {
    expect(quoteProviderText("Instance not found", { redact, maxLength: 300 })).toBe(
      "Instance not found",
    );
  });

  it("redacts, puts on one line and cuts to maxLength code points, … included", () => {
    const quoted = quoteProviderText(`token ${SECRET}\nsaid ${"x".repeat(100)}`, {
      redact,
      maxLength: 30,
    });
    expect(quoted).toBe(`token [REDACTED] said ${"x".repeat(7)}…`);
    expect(Array.from(quoted)).toHaveLength(30);
  });

  it("cuts between code points, never inside an emoji", () => {
    const quoted = quoteProviderText("👍".repeat(10), { redact, maxLength: 5 });
    expect(quoted).toBe("👍👍👍👍…");
  });

  it("redacts before cutting, so a cut cannot leave part of a secret", () => {
    const quoted = quoteProviderText(`${"y".repeat(5)}${SECRET}`, { redact, maxLength: 9 });
    expect(quoted).toBe("yyyyy[RE…");
  });

  // Upper case, digits and characters URL encoding changes: no run of such characters can be
  // made of the lower-case `[REDACTED]` marker, so any occurrence left would be a leak.
  const secret = fc.stringMatching(/^[A-Z0-9%+/?]{6,16}$/);
  const filler = fc.string({ unit: "binary", maxLength: 40 });

  test.prop([
    secret,
    fc.array(filler, { minLength: 1, maxLength: 5 }),
    fc.integer({ min: 1, max: 80 }),
  ])(
    "never quotes a secret, a line break or more than maxLength code points",
    (hidden, pieces, maxLength) => {
      // The secret as a provider may echo it: as given, and inside a URL.
      const text = pieces.join(`${hidden}/${encodeURIComponent(hidden)}`);
      const quoted = quoteProviderText(text, { redact: redactor([hidden]), maxLength });
      expect(Array.from(quoted).length).toBeLessThanOrEqual(maxLength);
      expect(quoted).not.toMatch(/[\r\n\u2028\u2029]/);
      expect(quoted).not.toContain(hidden);
      expect(quoted).not.toContain(encodeURIComponent(hidden));
    },
  );
});
