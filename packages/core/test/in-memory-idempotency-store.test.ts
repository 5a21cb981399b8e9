import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  type IdempotencyKey,
  InMemoryIdempotencyStore,
  isProviderError,
  type SendButtonsResult,
} from "../src/index.js";
import { ManualClock } from "../src/testing/index.js";

const result: SendButtonsResult = {
  messageId: "m",
  providerMessageId: "p",
  provider: "fake",
  conversationId: "c",
  status: "sent",
};

const key = (name: string, organizationId = "acme"): IdempotencyKey => ({
  organizationId,
  key: name,
});

describe("InMemoryIdempotencyStore", () => {
  it("forgets an expired key even when keys claimed before it were completed after it", async () => {
    const clock = new ManualClock();
    const store = new InMemoryIdempotencyStore({ ttlMs: 100, clock });
    for (let index = 0; index < 50; index += 1) await store.claim(key(`k${index}`), "f");
    clock.advance(50);
    await store.claim(key("early"), "f"); // expires at 150
    clock.advance(10);
    for (let index = 0; index < 50; index += 1) await store.complete(key(`k${index}`), result); // 160
    clock.advance(95);
    await store.claim(key("late"), "f");
    expect(store.size).toBe(51); // the 50 completed keys and "late"; "early" is gone
  });

  it("gives exactly one of two concurrent claims of a key", async () => {
    const store = new InMemoryIdempotencyStore();
    const claims = await Promise.all([store.claim(key("k"), "f"), store.claim(key("k"), "f")]);
    expect(claims.map((claim) => claim.status).sort()).toEqual(["claimed", "in_progress"]);
  });

  it("keeps organizations apart whatever characters their ids and keys hold", async () => {
    const store = new InMemoryIdempotencyStore();
    expect(await store.claim({ organizationId: "a:b", key: "c" }, "f1")).toEqual({
      status: "claimed",
    });
    expect(await store.claim({ organizationId: "a", key: "b:c" }, "f2")).toEqual({
      status: "claimed",
    });
    expect(await store.claim({ organizationId: "1:a", key: "b" }, "f3")).toEqual({
      status: "claimed",
    });
    expect(await store.claim({ organizationId: "1", key: ":ab" }, "f4")).toEqual({
      status: "claimed",
    });
  });

  test.prop([fc.string(), fc.string(), fc.string(), fc.string()])(
    "a key claimed by one organization is free for every other (organization, key) pair",
    async (organizationA, keyA, organizationB, keyB) => {
      fc.pre(organizationA !== organizationB || keyA !== keyB);
      const store = new InMemoryIdempotencyStore();
      await store.claim({ organizationId: organizationA, key: keyA }, "first");
      const other = await store.claim({ organizationId: organizationB, key: keyB }, "second");
      expect(other.status).toBe("claimed");
    },
  );

  it("replays a completed key and keeps an unknown outcome until the key expires", async () => {
    const clock = new ManualClock();
    const store = new InMemoryIdempotencyStore({ ttlMs: 1_000, clock });
    await store.claim(key("done"), "f");
    await store.complete(key("done"), result);
    await store.claim(key("unknown"), "g");
    await store.markOutcomeUnknown(key("unknown"));
    await store.claim(key("released"), "h");
    await store.release(key("released"));

    expect(await store.claim(key("done"), "x")).toEqual({
      status: "completed",
      fingerprint: "f",
      result,
    });
    expect(await store.claim(key("unknown"), "x")).toEqual({
      status: "outcome_unknown",
      fingerprint: "g",
    });
    expect(await store.claim(key("released"), "x")).toEqual({ status: "claimed" });
    clock.advance(1_000);
    expect(await store.claim(key("unknown"), "x")).toEqual({ status: "claimed" });
  });

  it("stays within maxEntries, forgetting the oldest completed key first", async () => {
    const store = new InMemoryIdempotencyStore({ maxEntries: 3 });
    for (const name of ["a", "b", "c"]) {
      await store.claim(key(name), name);
      await store.complete(key(name), result);
    }
    await store.claim(key("d"), "d");
    expect(store.size).toBe(3);
    expect((await store.claim(key("b"), "b")).status).toBe("completed");
    expect((await store.claim(key("a"), "a")).status).toBe("claimed"); // "a" was forgotten
  });

  it("forgets completed keys before keys of unknown outcome", async () => {
    const store = new InMemoryIdempotencyStore({ maxEntries: 2 });
    await store.claim(key("unknown"), "u");
    await store.markOutcomeUnknown(key("unknown"));
    await store.claim(key("done"), "d");
    await store.complete(key("done"), result);
    await store.claim(key("new"), "n");
    expect(store.size).toBe(2);
    expect((await store.claim(key("unknown"), "u")).status).toBe("outcome_unknown");
  });

  it("never forgets a key whose request is still running, even past maxEntries", async () => {
    const store = new InMemoryIdempotencyStore({ maxEntries: 2 });
    for (const name of ["a", "b", "c", "d"]) await store.claim(key(name), name);
    expect(store.size).toBe(4);
    for (const name of ["a", "b", "c", "d"]) {
      expect((await store.claim(key(name), name)).status).toBe("in_progress");
    }
    for (const name of ["a", "b", "c", "d"]) await store.complete(key(name), result);
    await store.claim(key("e"), "e");
    expect(store.size).toBe(2);
  });

  test.prop([
    fc.array(fc.tuple(fc.constantFrom("claim", "complete", "unknown", "release"), fc.nat(30)), {
      maxLength: 200,
    }),
  ])("holds no more than maxEntries keys beyond those still running", async (operations) => {
    const maxEntries = 5;
    const store = new InMemoryIdempotencyStore({ maxEntries });
    const running = new Set<number>();
    for (const [operation, index] of operations) {
      const name = key(`k${index}`);
      if (operation === "claim") {
        if ((await store.claim(name, "f")).status === "claimed") running.add(index);
      } else if (running.has(index)) {
        running.delete(index);
        if (operation === "complete") await store.complete(name, result);
        else if (operation === "unknown") await store.markOutcomeUnknown(name);
        else await store.release(name);
      }
      expect(store.size).toBeLessThanOrEqual(Math.max(maxEntries, running.size));
    }
  });

  it("refuses a bound that is not a positive integer", () => {
    expect(() => new InMemoryIdempotencyStore({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new InMemoryIdempotencyStore({ maxEntries: 1.5 })).toThrow(RangeError);
  });
});

describe("isProviderError", () => {
  it("recognises provider errors made by another copy of the package, by their tag", () => {
    expect(isProviderError({ _tag: "ProviderUnavailable", retryable: true })).toBe(true);
    expect(isProviderError({ _tag: "Forbidden" })).toBe(false);
    expect(isProviderError(new Error("x"))).toBe(false);
  });
});
