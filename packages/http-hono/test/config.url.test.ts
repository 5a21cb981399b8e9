import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { httpUrl } from "../src/config/schema.js";

// The configuration's webhook URL was `z.url({ protocol: /^https?$/, ... })`: the check that
// replaced it must take and give back exactly the same strings.
const zodUrl = z.url({ protocol: /^https?$/, error: "expected an http(s) URL" });

const piece = fc.constantFrom(
  "http://",
  "https://",
  "HTTPS://",
  "http:",
  "https:/",
  "ftp://",
  "mailto:",
  "//",
  "example.com",
  "hooks.example.com:8443",
  "user:pw@",
  "[::1]",
  "256.1.1.1",
  "/path",
  "?q=1",
  "#frag",
  " ",
  "\t",
  "\n",
  "\r",
  "%zz",
  "exa mple",
  "é",
  "",
);
const candidate = fc.oneof(
  fc.array(piece, { maxLength: 6 }).map((pieces) => pieces.join("")),
  fc.webUrl(),
  fc.string({ maxLength: 12 }),
);

describe("the configuration's http(s) URL check", () => {
  it("accepts, refuses and trims exactly as z.url with the http(s) protocol did", () => {
    fc.assert(
      fc.property(candidate, (url) => {
        const ours = httpUrl.safeParse(url);
        const zods = zodUrl.safeParse(url);
        expect(ours.success).toBe(zods.success);
        if (ours.success && zods.success) expect(ours.data).toBe(zods.data);
        else
          expect(ours.error?.issues.map((issue) => issue.message)).toEqual(
            zods.error?.issues.map((issue) => issue.message),
          );
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ["https://hooks.example.com/replykit", true],
    ["  http://example.com/a\tb\n ", true],
    ["http:example.com", false],
    ["ftp://example.com", false],
    ["https://", false],
    ["not a url", false],
  ])("reads %j: %s", (url, valid) => {
    expect(httpUrl.safeParse(url).success).toBe(valid);
    expect(zodUrl.safeParse(url).success).toBe(valid);
  });
});
