import { describe, expect, it } from "vitest";
import { InMemoryIdempotencyStore, isProviderError, type SendButtonsResult } from "../src/index.js";
import { ManualClock } from "../src/testing/index.js";

const result: SendButtonsResult = {
  messageId: "m",
  providerMessageId: "p",
  provider: "fake",
  conversationId: "c",
  status: "sent",
};

describe("InMemoryIdempotencyStore", () => {
  it("forgets an expired key even when keys claimed before it were completed after it", async () => {
    const clock = new ManualClock();
    const store = new InMemoryIdempotencyStore({ ttlMs: 100, clock });
    for (let index = 0; index < 50; index += 1) await store.claim(`k${index}`, "f");
    clock.advance(50);
    await store.claim("early", "f"); // expires at 150
    clock.advance(10);
    for (let index = 0; index < 50; index += 1) await store.complete(`k${index}`, result); // 160
    clock.advance(95);
    await store.claim("late", "f");
    expect(store.size).toBe(51); // the 50 completed keys and "late"; "early" is gone
  });

  it("gives exactly one of two concurrent claims of a key", async () => {
    const store = new InMemoryIdempotencyStore();
    const claims = await Promise.all([store.claim("k", "f"), store.claim("k", "f")]);
    expect(claims.map((claim) => claim.status).sort()).toEqual(["claimed", "in_progress"]);
  });
});

describe("isProviderError", () => {
  it("recognises provider errors made by another copy of the package, by their tag", () => {
    expect(isProviderError({ _tag: "ProviderUnavailable", retryable: true })).toBe(true);
    expect(isProviderError({ _tag: "Forbidden" })).toBe(false);
    expect(isProviderError(new Error("x"))).toBe(false);
  });
});
