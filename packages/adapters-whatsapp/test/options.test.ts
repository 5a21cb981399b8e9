import { describe, expect, it } from "vitest";
import { createWhatsAppChannel, type WhatsAppChannelOptions } from "../src/index.js";

const valid: WhatsAppChannelOptions = { accessToken: "EAAG-token", phoneNumberId: "1234567890" };

/** The error `createWhatsAppChannel` throws for these options. */
function problemWith(options: unknown): Error {
  try {
    createWhatsAppChannel(options as WhatsAppChannelOptions);
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`);
  }
  throw new Error("expected createWhatsAppChannel to throw");
}

describe("createWhatsAppChannel options", () => {
  it("builds a native channel with Meta's limits, header and footer", () => {
    const channel = createWhatsAppChannel(valid);
    expect(channel.provider).toBe("whatsapp");
    expect(channel.capabilities).toEqual({
      maxButtons: 3,
      limits: { buttonTitle: 20, buttonId: 256, body: 1024, header: 60, footer: 60 },
      header: true,
      footer: true,
      buttonRendering: "native",
    });
  });

  it.each([
    ["a missing accessToken", { phoneNumberId: "1" }, /accessToken is required/],
    ["an empty accessToken", { ...valid, accessToken: "" }, /accessToken must not be empty/],
    ["a missing phoneNumberId", { accessToken: "t" }, /phoneNumberId is required/],
    ["an empty phoneNumberId", { ...valid, phoneNumberId: "" }, /phoneNumberId must not be empty/],
    ["a phoneNumberId with a slash", { ...valid, phoneNumberId: "1/2" }, /phoneNumberId must not/],
    ["a baseUrl that is no URL", { ...valid, baseUrl: "graph.facebook.com" }, /baseUrl must be/],
    ["a non-http baseUrl", { ...valid, baseUrl: "ftp://graph.facebook.com" }, /baseUrl must be/],
    ["a baseUrl with a query", { ...valid, baseUrl: "https://x.example/?a=1" }, /baseUrl must be/],
    [
      "a baseUrl with credentials",
      { ...valid, baseUrl: "https://u:p@x.example" },
      /baseUrl must be/,
    ],
    ["a timeout no timer can hold", { ...valid, timeoutMs: 2 ** 31 }, /timeoutMs must be at most/],
    ["an apiVersion without v", { ...valid, apiVersion: "23.0" }, /apiVersion must look like/],
    ["an apiVersion without minor", { ...valid, apiVersion: "v23" }, /apiVersion must look like/],
    ["a zero timeout", { ...valid, timeoutMs: 0 }, /timeoutMs must be positive/],
    ["a fractional timeout", { ...valid, timeoutMs: 1.5 }, /timeoutMs must be a whole number/],
    ["a transport that is no function", { ...valid, transport: {} }, /transport must be/],
    ["no options at all", undefined, /options must be an object/],
    ["an empty appSecret", { ...valid, appSecret: "" }, /appSecret must not be empty/],
    ["an empty verifyToken", { ...valid, verifyToken: "" }, /verifyToken must not be empty/],
    ["an appSecret that is no string", { ...valid, appSecret: 42 }, /appSecret is required/],
  ])("refuses %s with a clear Error", (_what, options, reason) => {
    const error = problemWith(options);
    expect(error.message).toMatch(/^createWhatsAppChannel: invalid options: /);
    expect(error.message).toMatch(reason);
  });

  it("lists every problem at once", () => {
    const error = problemWith({ accessToken: "", phoneNumberId: "", apiVersion: "latest" });
    expect(error.message).toMatch(/accessToken/);
    expect(error.message).toMatch(/phoneNumberId/);
    expect(error.message).toMatch(/apiVersion/);
  });

  it("refuses an access token with whitespace without quoting it", () => {
    const token = "EAAG secret\ntoken";
    const error = problemWith({ ...valid, accessToken: token });
    expect(error.message).toMatch(/accessToken must not contain whitespace/);
    expect(error.message).not.toContain("EAAG");
    expect(error.message).not.toContain("secret");
  });

  it("refuses an app secret or verify token with whitespace without quoting either", () => {
    const error = problemWith({
      ...valid,
      appSecret: "app secret\n",
      verifyToken: "verify token",
    });
    expect(error.message).toMatch(/appSecret must not contain whitespace/);
    expect(error.message).toMatch(/verifyToken must not contain whitespace/);
    expect(error.message).not.toContain("secret\n");
    expect(error.message).not.toContain("verify token");
  });

  it("accepts every documented option", () => {
    expect(() =>
      createWhatsAppChannel({
        ...valid,
        baseUrl: "http://127.0.0.1:8080/prefix/",
        apiVersion: "v19.0",
        timeoutMs: 2_500,
        appSecret: "0123456789abcdef0123456789abcdef",
        verifyToken: "meta-verify-token",
        transport: async () => ({ status: 200, header: () => undefined, body: "" }),
      }),
    ).not.toThrow();
  });
});
