import * as core from "@replykit/core/testing";
import { describe, expect, it } from "vitest";
import * as transport from "../src/testing.js";

describe("@replykit/http-transport/testing", () => {
  it("gives core's own message and context fixtures, not copies of them", () => {
    expect(transport.buttonMessage).toBe(core.buttonMessage);
    expect(transport.sendContext).toBe(core.sendContext);
    expect(transport.failureOf).toBe(core.failureOf);
    expect(transport.renderings).toBe(core.renderings);
  });

  it("builds answers as postJson reads them", () => {
    expect(transport.jsonAnswer(429, { error: "x" }, 7000)).toEqual({
      status: 429,
      body: { error: "x" },
      retryAfterMs: 7000,
    });
  });
});
