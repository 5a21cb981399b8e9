import { describe, expect, it } from "vitest";
import { DEFAULT_DELIVERY_POLICY, resolveDeliveryPolicy } from "../src/index.js";

describe("resolveDeliveryPolicy", () => {
  it("keeps the default for a field left out or given as undefined", () => {
    expect(resolveDeliveryPolicy({ maxRetries: 0, attemptTimeoutMs: undefined })).toEqual({
      ...DEFAULT_DELIVERY_POLICY,
      maxRetries: 0,
    });
    expect(resolveDeliveryPolicy()).toEqual(DEFAULT_DELIVERY_POLICY);
  });
});
