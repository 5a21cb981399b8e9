import { describe, expect, it } from "vitest";
import { preparedDeliveryPolicy } from "../src/delivery-policy.js";
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

describe("preparedDeliveryPolicy", () => {
  it("resolves the defaults once, for every send without overrides", () => {
    const prepared = preparedDeliveryPolicy(undefined);
    expect(prepared.policy).toEqual(DEFAULT_DELIVERY_POLICY);
    expect(prepared.retry.times).toBe(DEFAULT_DELIVERY_POLICY.maxRetries);
    expect(preparedDeliveryPolicy(undefined)).toBe(prepared);
  });

  it("resolves one overrides object once, and each other object on its own", () => {
    const overrides = { maxRetries: 5, attemptTimeoutMs: undefined };
    const prepared = preparedDeliveryPolicy(overrides);
    expect(prepared.policy).toEqual({ ...DEFAULT_DELIVERY_POLICY, maxRetries: 5 });
    expect(prepared.retry.times).toBe(5);
    expect(preparedDeliveryPolicy(overrides)).toBe(prepared);
    const other = preparedDeliveryPolicy({ maxRetries: 1 });
    expect(other.policy.maxRetries).toBe(1);
    expect(other.retry.times).toBe(1);
  });
});
