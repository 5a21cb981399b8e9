import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { REDACTED, redactor } from "../src/index.js";

// The redactor blanks known secrets out of text that ends up in errors and logs.

describe("redactor", () => {
  it("replaces every occurrence of every secret with the one marker", () => {
    const redact = redactor(["tok-123", "client-77"]);
    expect(redact("a tok-123 b client-77 c tok-123")).toBe(
      `a ${REDACTED} b ${REDACTED} c ${REDACTED}`,
    );
    expect(REDACTED).toBe("[REDACTED]");
  });

  it("also replaces a secret as it stands URL-encoded in an echoed URL", () => {
    const redact = redactor(["a/b c"]);
    expect(redact("GET /x/a%2Fb%20c/send and a/b c")).toBe(
      `GET /x/${REDACTED}/send and ${REDACTED}`,
    );
  });

  it("blanks a secret that contains another one whole, whatever order they are given in", () => {
    expect(redactor(["abc", "abcdef"])("key abcdef")).toBe(`key ${REDACTED}`);
    expect(redactor(["abcdef", "abc"])("key abcdef")).toBe(`key ${REDACTED}`);
  });

  it("treats a secret's regular-expression characters literally", () => {
    expect(redactor(["a.c", "(x|y)*", "^$"])("abc a.c (x|y)* x ^$")).toBe(
      `abc ${REDACTED} ${REDACTED} x ${REDACTED}`,
    );
  });

  it("ignores empty secrets and leaves text alone without secrets", () => {
    expect(redactor([""])("nothing to hide")).toBe("nothing to hide");
    expect(redactor([])("nothing to hide")).toBe("nothing to hide");
    expect(redactor(["", "x"])("a x b")).toBe(`a ${REDACTED} b`);
  });

  it("still blanks a secret that cannot be URL-encoded (a lone surrogate)", () => {
    expect(redactor(["\uD800lone"])("x \uD800lone y")).toBe(`x ${REDACTED} y`);
  });

  it("never leaves a secret in the text, whatever surrounds it", () => {
    fc.assert(
      fc.property(
        // Of characters the marker does not hold, so that no marker can spell it.
        fc.stringMatching(/^[a-z0-9_%-]{1,12}$/),
        fc.array(fc.string(), { maxLength: 4 }),
        (secret, around) => {
          const text = around.join(secret) + secret;
          expect(redactor([secret])(text)).not.toContain(secret);
        },
      ),
      { numRuns: 100 },
    );
  });
});
