import { ProviderRejected, ProviderUnavailable } from "@replykit/core";
import { describe, expect, it } from "vitest";
import { errorFromStatus, parseRetryAfter, unexpectedAnswer } from "../src/index.js";

const answer = (status: number, retryAfterMs?: number) => ({
  status,
  body: undefined,
  retryAfterMs,
});

describe("errorFromStatus", () => {
  it.each([408, 429, 500, 502, 503])(
    "treats HTTP %i as a retryable ProviderUnavailable",
    (status) => {
      const error = errorFromStatus(answer(status, 2000), { provider: "acme", message: "busy" });
      expect(error).toBeInstanceOf(ProviderUnavailable);
      expect(error).toMatchObject({ retryable: true, httpStatus: status, retryAfterMs: 2000 });
    },
  );

  it.each([400, 401, 403, 404, 405, 415, 422])("treats HTTP %i as a ProviderRejected", (status) => {
    const error = errorFromStatus(answer(status), {
      provider: "acme",
      providerCode: "E1",
      message: "no",
    });
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).toMatchObject({ providerCode: "E1", httpStatus: status, retryable: false });
  });
});

describe("errorFromStatus and delivery", () => {
  it.each([500, 502, 503, 504])(
    "says delivery is unknown for HTTP %i: the server may have failed after passing the message on",
    (status) => {
      const error = errorFromStatus(answer(status), { provider: "acme", message: "busy" });
      expect(error).toMatchObject({ retryable: true, deliveryUnknown: true });
    },
  );

  it.each([500, 502, 504])(
    "says delivery is unknown for HTTP %i even with Retry-After",
    (status) => {
      const error = errorFromStatus(answer(status, 1000), { provider: "acme", message: "busy" });
      expect(error).toMatchObject({ retryable: true, deliveryUnknown: true });
    },
  );

  it("does not say delivery is unknown for a 503 with Retry-After: the server declined it until later", () => {
    const error = errorFromStatus(answer(503, 0), { provider: "acme", message: "later" });
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 0 });
    expect(error).not.toHaveProperty("deliveryUnknown");
  });

  it.each([408, 429])(
    "does not say delivery is unknown for HTTP %i: the server did not handle the request",
    (status) => {
      const error = errorFromStatus(answer(status), { provider: "acme", message: "slow down" });
      expect(error).toMatchObject({ retryable: true });
      expect(error).not.toHaveProperty("deliveryUnknown");
    },
  );

  it.each([301, 307, 400, 401, 404])("does not say delivery is unknown for HTTP %i", (status) => {
    const error = errorFromStatus(answer(status), { provider: "acme", message: "no" });
    expect(error).toBeInstanceOf(ProviderRejected);
    expect(error).not.toHaveProperty("deliveryUnknown");
  });
});

describe("unexpectedAnswer", () => {
  it("is not retryable, since the provider may have sent the message", () => {
    expect(unexpectedAnswer("acme", answer(200))).toMatchObject({
      retryable: false,
      httpStatus: 200,
    });
  });

  it("says delivery is unknown, since a success status says the message was likely taken", () => {
    expect(unexpectedAnswer("acme", answer(201))).toMatchObject({ deliveryUnknown: true });
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-25T12:00:00Z");
  it.each([
    ["7", 7000],
    [" 0 ", 0],
    ["Wed, 25 Nov 2026 12:00:05 GMT", 5000],
    ["Wed, 25 Nov 2026 11:59:00 GMT", 0],
    ["soon", undefined],
    ["-3", undefined],
    [undefined, undefined],
  ])("reads %j as %j ms", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
