import fc from "fast-check";
import { sign, verify } from "hono/jwt";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { hs256Key, verifyHs256 } from "../src/auth/hs256.js";

// verifyHs256 follows hono/jwt's `verify` for HS256 (the verification replykit used before):
// every token below, well-formed or not, gets the same verdict from both. Neither secret
// holds "PUBLIC" or "PRIVATE", which hono would read as a PEM key instead.
const SECRET = "a-session-secret-of-at-least-32-characters!";
const OTHER = "another-secret-of-at-least-32-characters!!";
const NOW = 1_900_000_000;

const utf8 = new TextEncoder();
const base64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/=+$/, "")
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
const encode = (value: unknown) => base64Url(utf8.encode(JSON.stringify(value)));

async function hmac(secret: string, data: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    utf8.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return base64Url(new Uint8Array(await crypto.subtle.sign("HMAC", key, utf8.encode(data))));
}

const header = fc.oneof(
  { weight: 8, arbitrary: fc.constant<unknown>({ alg: "HS256", typ: "JWT" }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom<unknown>(
      { alg: "HS256" },
      { alg: "HS256", typ: "application/JWT" },
      { alg: "HS256", typ: "at+jwt" },
      { alg: "HS256", typ: "JWT", crit: [] },
      { alg: "HS512", typ: "JWT" },
    ),
  },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        alg: fc.constantFrom<unknown>("HS256", "HS512", "none", "RS256", "hs256", 256),
        typ: fc.constantFrom<unknown>("JWT", "jwt", "application/JWT", "at+jwt", "", 1, null),
        crit: fc.constant<unknown>(["exp"]),
        kid: fc.string({ maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, [], "HS256", 7) },
);

const ABSENT = Symbol("absent");
/** A claim: mostly one that holds, sometimes missing, sometimes one that does not. */
const claim = (holds: fc.Arbitrary<unknown>, fails: fc.Arbitrary<unknown>) =>
  fc.oneof(
    { weight: 5, arbitrary: holds },
    { weight: 2, arbitrary: fc.constant<unknown>(ABSENT) },
    { weight: 2, arbitrary: fails },
  );
const oddTime = fc.constantFrom<unknown>(NOW + 0.5, "1900000000", null, true, 0);
const claims = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .record({
        sub: claim(fc.constant("user_1"), fc.constant("")),
        org: fc.constant<unknown>("org_a"),
        exp: claim(fc.integer({ min: NOW + 1, max: NOW + 2 }), fc.oneof(fc.constant(NOW), oddTime)),
        nbf: claim(fc.integer({ min: NOW - 1, max: NOW }), fc.oneof(fc.constant(NOW + 1), oddTime)),
        iat: claim(fc.integer({ min: NOW - 1, max: NOW }), fc.oneof(fc.constant(NOW + 1), oddTime)),
        iss: claim(
          fc.constant("https://auth.example.com"),
          fc.constantFrom<unknown>("https://evil.example", "", 0),
        ),
        aud: claim(
          fc.constantFrom<unknown>("replykit", ["x", "replykit"]),
          fc.constantFrom<unknown>("other", "", 0, [], ["other"], ["", 1]),
        ),
      })
      .map((fields) =>
        Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ABSENT)),
      ),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(null, 5, "claims", [], true) },
);

/** How the token's text is made from its parts: mostly as a signer would, sometimes not. */
const shape = fc.constantFrom(
  "signed",
  "signed",
  "signed",
  "signed",
  "signed",
  "signed",
  "huge-exp",
  "standard-base64-signature",
  "other-secret",
  "no-signature",
  "padded-signature",
  "bad-signature-chars",
  "flipped-signature",
  "bad-header-base64",
  "not-json-claims",
  "four-parts",
  "two-parts",
  "spaces-in-header",
);

async function tokenOf(
  shapeName: string,
  headerValue: unknown,
  claimsValue: unknown,
): Promise<string> {
  const head = encode(headerValue);
  const json =
    shapeName === "not-json-claims"
      ? "{nope"
      : shapeName === "huge-exp"
        ? // 1e999 parses as Infinity, which JSON.stringify never writes.
          JSON.stringify(claimsValue).replace(/"exp":[^,}]+/, '"exp":1e999')
        : JSON.stringify(claimsValue);
  const body = base64Url(utf8.encode(json));
  const data = `${shapeName === "spaces-in-header" ? ` ${head}` : head}.${body}`;
  const signature = await hmac(shapeName === "other-secret" ? OTHER : SECRET, data);
  switch (shapeName) {
    case "no-signature":
      return `${data}.`;
    case "padded-signature":
      return `${data}.${signature}=`;
    case "bad-signature-chars":
      return `${data}.${signature.slice(0, -2)}+/`;
    case "flipped-signature":
      return `${data}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
    case "standard-base64-signature":
      // The same bytes in base64's other alphabet, which a JWT may not use.
      return `${data}.${signature.replace(/-/g, "+").replace(/_/g, "/")}`;
    case "bad-header-base64":
      return `%${data}.${signature}`;
    case "four-parts":
      return `${data}.${signature}.x`;
    case "two-parts":
      return data;
    default:
      return `${data}.${signature}`;
  }
}

const expectations = fc.record({
  issuer: fc.constantFrom(undefined, "https://auth.example.com"),
  audience: fc.constantFrom(undefined, "replykit", ["a", "replykit"] as const),
});

describe("verifyHs256, against hono/jwt's verify", () => {
  beforeAll(() => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(NOW * 1000 + 400);
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("accepts exactly the tokens hono accepts, with the same claims", async () => {
    const key = hs256Key(SECRET);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        shape,
        header,
        claims,
        expectations,
        async (shapeName, headerValue, claimsValue, { issuer, audience }) => {
          const token = await tokenOf(shapeName, headerValue, claimsValue);
          const ours = await verifyHs256(token, key, {
            issuer,
            audiences:
              audience === undefined
                ? undefined
                : typeof audience === "string"
                  ? [audience]
                  : [...audience],
          });
          let hono: unknown;
          try {
            hono = await verify(token, SECRET, {
              alg: "HS256",
              ...(issuer === undefined ? {} : { iss: issuer }),
              ...(audience === undefined
                ? {}
                : { aud: typeof audience === "string" ? audience : [...audience] }),
            });
          } catch {
            hono = undefined;
          }
          expect(ours).toEqual(hono);
          if (ours !== undefined) accepted += 1;
        },
      ),
      { numRuns: 3000 },
    );
    // Enough tokens pass for every rule to have been tried at its boundary.
    expect(accepted).toBeGreaterThan(150);
  });

  it("accepts a token hono/jwt signed", async () => {
    const token = await sign({ sub: "u", exp: NOW + 60 }, SECRET, "HS256");
    expect(await verifyHs256(token, hs256Key(SECRET), {})).toEqual({ sub: "u", exp: NOW + 60 });
    expect(await verifyHs256(token, hs256Key(OTHER), {})).toBeUndefined();
  });
});
