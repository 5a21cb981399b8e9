import { describe, expect, it } from "vitest";
import { errorFromStatus, RequestNotSent, unexpectedAnswer } from "../src/index.js";

// Errors carry a provider code or a Retry-After only when there is one: an error envelope
// or a log line built from them shows what the provider said, never an empty field.

const answer = (status: number, retryAfterMs?: number) => ({
  status,
  body: undefined,
  retryAfterMs,
});

describe("errorFromStatus's optional fields", () => {
  it.each([400, 429, 500])("leaves providerCode out of an HTTP %i error without one", (status) => {
    expect(errorFromStatus(answer(status), { provider: "acme", message: "m" })).not.toHaveProperty(
      "providerCode",
    );
  });

  it.each([429, 500, 503])(
    "leaves retryAfterMs out of an HTTP %i error without Retry-After",
    (status) => {
      expect(
        errorFromStatus(answer(status), { provider: "acme", message: "m" }),
      ).not.toHaveProperty("retryAfterMs");
    },
  );

  it("keeps the provider's code and its Retry-After when it gave them", () => {
    expect(
      errorFromStatus(answer(429, 2000), { provider: "acme", providerCode: "SLOW", message: "m" }),
    ).toMatchObject({ providerCode: "SLOW", retryAfterMs: 2000 });
  });
});

describe("unexpectedAnswer", () => {
  it("names the provider and the status, and says the message may have been sent", () => {
    const error = unexpectedAnswer("acme", answer(202));
    expect(error.message).toContain("acme");
    expect(error.message).toContain("202");
    expect(error.message).toContain("may or may not have been sent");
  });
});

describe("RequestNotSent", () => {
  it("is an Error named RequestNotSent with the code transports and postJson read", () => {
    const error = new RequestNotSent();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("RequestNotSent");
    expect(error.code).toBe("ERR_REQUEST_NOT_SENT");
    expect(error.message).toBe("the request was abandoned before it was sent");
  });
});
