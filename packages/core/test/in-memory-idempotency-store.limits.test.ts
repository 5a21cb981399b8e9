import { describe, expect, it } from "vitest";
import {
  type IdempotencyKey,
  InMemoryIdempotencyStore,
  type SendButtonsResult,
} from "../src/index.js";
import { ManualClock } from "../src/testing/index.js";

// The store's defaults and the limits it accepts, and what it does with a key it was never
// asked to claim.

const result: SendButtonsResult = {
  messageId: "m",
  providerMessageId: "p",
  provider: "fake",
  conversationId: "c",
  status: "sent",
};

const key = (name: string): IdempotencyKey => ({ organizationId: "acme", key: name });
const DAY_MS = 24 * 60 * 60 * 1000;

describe("InMemoryIdempotencyStore's defaults and limits", () => {
  it("remembers a key for 24 hours by default, and no longer", async () => {
    const clock = new ManualClock();
    const store = new InMemoryIdempotencyStore({ clock });
    await store.claim(key("k"), "f");
    await store.complete(key("k"), result);
    clock.advance(DAY_MS - 1);
    expect(await store.claim(key("k"), "f")).toMatchObject({ status: "completed" });
    clock.advance(1);
    expect(await store.claim(key("k"), "f")).toEqual({ status: "claimed" });
  });

  it("accepts a bound of one key, and keeps just the latest", async () => {
    const store = new InMemoryIdempotencyStore({ maxEntries: 1 });
    await store.claim(key("a"), "f");
    await store.complete(key("a"), result);
    await store.claim(key("b"), "f");
    expect(store.size).toBe(1);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])(
    "refuses maxEntries %s, naming the option",
    (maxEntries) => {
      expect(() => new InMemoryIdempotencyStore({ maxEntries })).toThrow(/^maxEntries /);
    },
  );

  it.each([0, -1, Number.NaN])("refuses a ttlMs of %s, naming the option", (ttlMs) => {
    expect(() => new InMemoryIdempotencyStore({ ttlMs })).toThrow(RangeError);
    expect(() => new InMemoryIdempotencyStore({ ttlMs })).toThrow(/^ttlMs /);
  });

  it("accepts a ttlMs of 1 ms", () => {
    expect(() => new InMemoryIdempotencyStore({ ttlMs: 1 })).not.toThrow();
  });
});

describe("InMemoryIdempotencyStore with a key it never claimed", () => {
  it("ignores complete, markOutcomeUnknown and release, and lets the key be claimed", async () => {
    const store = new InMemoryIdempotencyStore();
    await store.complete(key("k"), result);
    await store.markOutcomeUnknown(key("k"));
    await store.release(key("k"));
    expect(store.size).toBe(0);
    expect(await store.claim(key("k"), "f")).toEqual({ status: "claimed" });
  });

  it("does not complete a key twice: a second complete leaves the first result", async () => {
    const store = new InMemoryIdempotencyStore();
    await store.claim(key("k"), "f");
    await store.complete(key("k"), result);
    await store.complete(key("k"), { ...result, messageId: "other" });
    await store.markOutcomeUnknown(key("k"));
    expect(await store.claim(key("k"), "f")).toMatchObject({
      status: "completed",
      result: { messageId: "m" },
    });
  });
});
