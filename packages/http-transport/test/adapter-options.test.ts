import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  baseUrlOption,
  credentialOption,
  type HttpTransport,
  normalizeBaseUrl,
  PATH_SEGMENT_CHARACTERS,
  PRINTABLE_ASCII,
  parseAdapterOptions,
  timeoutMsOption,
  transportOption,
} from "../src/index.js";

const schema = z.object({
  apiKey: credentialOption("apiKey"),
  baseUrl: baseUrlOption("https://api.example/"),
  timeoutMs: timeoutMsOption(10_000),
  transport: transportOption(),
});

const transport: HttpTransport = async () => ({ status: 200, header: () => undefined, body: "" });

/** The message `parseAdapterOptions` throws for `input`. */
function problemWith(input: unknown, against: z.ZodType = schema): string {
  try {
    parseAdapterOptions("createAcmeChannel", against, input);
  } catch (error) {
    if (error instanceof Error) return error.message;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error("expected parseAdapterOptions to throw");
}

describe("parseAdapterOptions", () => {
  it("returns the parsed options with every default filled in", () => {
    const parsed = parseAdapterOptions("createAcmeChannel", schema, { apiKey: "k-1" });
    expect(parsed).toMatchObject({
      apiKey: "k-1",
      baseUrl: "https://api.example",
      timeoutMs: 10_000,
    });
    expect(typeof parsed.transport).toBe("function");
  });

  it("keeps every value that was given", () => {
    expect(
      parseAdapterOptions("createAcmeChannel", schema, {
        apiKey: "k-1",
        baseUrl: "http://127.0.0.1:8080/prefix/",
        timeoutMs: 2_500,
        transport,
      }),
    ).toEqual({
      apiKey: "k-1",
      baseUrl: "http://127.0.0.1:8080/prefix",
      timeoutMs: 2_500,
      transport,
    });
  });

  it("throws one Error naming the factory and listing every problem", () => {
    const message = problemWith({ apiKey: "", baseUrl: "ftp://x", timeoutMs: 0, transport: 1 });
    expect(message).toMatch(/^createAcmeChannel: invalid options: /);
    expect(message.split("; ")).toHaveLength(4);
    for (const name of ["apiKey", "baseUrl", "timeoutMs", "transport"]) {
      expect(message).toContain(name);
    }
  });

  it.each([
    ["undefined", undefined],
    ["null", null],
    ["a string", "k-1"],
    ["an array", []],
  ])("refuses %s as options, still naming each required option", (_, input) => {
    const message = problemWith(input);
    expect(message).toContain("options must be an object");
    expect(message).toContain("apiKey is required");
  });

  it("refuses a non-object even when no option is required", () => {
    expect(problemWith(undefined, z.object({ timeoutMs: timeoutMsOption(5) }))).toBe(
      "createAcmeChannel: invalid options: options must be an object",
    );
  });

  it("never quotes a value it refuses", () => {
    const secret = "sk live\n0123456789";
    const message = problemWith({
      apiKey: secret,
      baseUrl: `https://user:${encodeURIComponent("sk-9876")}@api.example/?key=sk-9876`,
      timeoutMs: "sk-4242",
      transport: "sk-5555",
    });
    for (const quoted of ["sk live", "0123456789", "sk-9876", "sk-4242", "sk-5555"]) {
      expect(message).not.toContain(quoted);
    }
  });
});

describe("credentialOption", () => {
  const check = (value: unknown, option = credentialOption("apiKey")) =>
    option.safeParse(value).error?.issues.map((issue) => issue.message) ?? [];

  it("accepts a token", () => {
    expect(check("zk_live-0123.ABC~x")).toEqual([]);
  });

  it("says a missing or non-string credential is required, describing it", () => {
    expect(check(undefined)).toEqual(["apiKey is required (a non-empty string)"]);
    expect(check(42, credentialOption("apiKey", { what: "the account's key" }))).toEqual([
      "apiKey is required (the account's key)",
    ]);
  });

  it("refuses an empty credential with one message, as missing by default", () => {
    expect(check("")).toEqual(["apiKey is required (a non-empty string)"]);
    expect(check("", credentialOption("apiKey", { ifEmpty: "must not be empty" }))).toEqual([
      "apiKey must not be empty",
    ]);
  });

  it.each(["key\n", "two words", "tab\there", "nul\u0000", "\u00a0nbsp"])(
    "refuses %j by default: whitespace or control characters",
    (value) => {
      expect(check(value)).toEqual(["apiKey must not contain whitespace or control characters"]);
    },
  );

  it("allows '/', '?' and '#' in a token but not in a path segment", () => {
    const segment = credentialOption("phoneNumberId", { form: PATH_SEGMENT_CHARACTERS });
    expect(check("a/b?c#d")).toEqual([]);
    for (const value of ["a/b", "a?b", "a#b", "a b"]) {
      expect(check(value, segment)).toEqual([
        "phoneNumberId must not contain whitespace, '/', '?' or '#'",
      ]);
    }
    expect(check("1234567890", segment)).toEqual([]);
  });

  it("refuses non-ASCII characters only in the printable ASCII form", () => {
    const ascii = credentialOption("apiKey", { form: PRINTABLE_ASCII });
    expect(check("clé")).toEqual([]);
    expect(check("clé", ascii)).toEqual(["apiKey must be printable ASCII without spaces"]);
    expect(check("!key~", ascii)).toEqual([]);
  });
});

describe("baseUrlOption", () => {
  const option = baseUrlOption("https://api.example");

  it("defaults to the given URL", () => {
    expect(option.parse(undefined)).toBe("https://api.example");
  });

  it("removes trailing slashes and keeps a path prefix", () => {
    expect(option.parse("https://proxy.example/acme//")).toBe("https://proxy.example/acme");
    expect(baseUrlOption("https://api.example/").parse(undefined)).toBe("https://api.example");
  });

  it.each([
    "api.example",
    "ftp://api.example",
    "https://api.example/?a=1",
    "https://api.example/#top",
    "https://user:pass@api.example",
    "https://user@api.example",
  ])("refuses %j", (baseUrl) => {
    expect(option.safeParse(baseUrl).error?.issues.map((issue) => issue.message)).toEqual([
      "baseUrl must be an absolute http(s) URL without query or fragment, and without user info",
    ]);
  });

  it("refuses a non-string", () => {
    expect(option.safeParse(8080).error?.issues[0]?.message).toBe("baseUrl must be a string");
  });
});

describe("normalizeBaseUrl", () => {
  it.each([
    ["https://api.example", "https://api.example"],
    ["https://api.example/", "https://api.example"],
    ["https://api.example/v1///", "https://api.example/v1"],
  ])("turns %j into %j", (given, expected) => {
    expect(normalizeBaseUrl(given)).toBe(expected);
  });
});

describe("timeoutMsOption", () => {
  const option = timeoutMsOption(10_000);
  const problem = (value: unknown) => option.safeParse(value).error?.issues[0]?.message;

  it("defaults to the given delay and keeps any valid one", () => {
    expect(option.parse(undefined)).toBe(10_000);
    expect(option.parse(1)).toBe(1);
    expect(option.parse(2_147_483_647)).toBe(2_147_483_647);
  });

  it.each([
    [0, "timeoutMs must be positive"],
    [-5, "timeoutMs must be positive"],
    [1.5, "timeoutMs must be a whole number of milliseconds"],
    [2 ** 31, "timeoutMs must be at most 2147483647 (about 24.8 days)"],
    [Number.NaN, "timeoutMs must be a number"],
    [Number.POSITIVE_INFINITY, "timeoutMs must be a number"],
    ["1000", "timeoutMs must be a number"],
  ])("refuses %j: %s", (value, message) => {
    expect(problem(value)).toBe(message);
  });
});

describe("transportOption", () => {
  it("keeps a given transport and defaults to a fetch transport", () => {
    expect(transportOption().parse(transport)).toBe(transport);
    expect(typeof transportOption().parse(undefined)).toBe("function");
  });

  it("refuses anything but a function", () => {
    expect(transportOption().safeParse({}).error?.issues[0]?.message).toBe(
      "transport must be a function (an HttpTransport)",
    );
  });
});
