import { describe, expect, it } from "vitest";
import { InMemoryWebhookDeduplication } from "../src/index.js";
import { ManualClock } from "../src/testing/index.js";

// Providers deliver a webhook again until it is acknowledged; the deduplication remembers
// which events were handed over, per connection, for a while.

const DAY_MS = 24 * 60 * 60 * 1000;

describe("InMemoryWebhookDeduplication", () => {
  it("says which of the given ids it has seen on that connection", async () => {
    const dedup = new InMemoryWebhookDeduplication();
    await dedup.remember("wa", ["e1", "e2"]);
    expect(await dedup.seen("wa", ["e1", "e3", "e2"])).toEqual(new Set(["e1", "e2"]));
    expect(await dedup.seen("zapi", ["e1"])).toEqual(new Set());
    expect(await dedup.seen("w", ["ae1"])).toEqual(new Set());
  });

  it("remembers an id for 24 hours by default, and no longer", async () => {
    const clock = new ManualClock();
    const dedup = new InMemoryWebhookDeduplication({ clock });
    await dedup.remember("wa", ["e1"]);
    clock.advance(DAY_MS - 1);
    expect(await dedup.seen("wa", ["e1"])).toEqual(new Set(["e1"]));
    clock.advance(1);
    expect(await dedup.seen("wa", ["e1"])).toEqual(new Set());
  });

  it("forgets expired ids when it remembers new ones", async () => {
    const clock = new ManualClock();
    const dedup = new InMemoryWebhookDeduplication({ ttlMs: 100, clock });
    await dedup.remember("wa", ["e1", "e2"]);
    clock.advance(100);
    await dedup.remember("wa", ["e3"]);
    expect(dedup.size).toBe(1);
  });

  it("keeps ids that have not expired when it remembers new ones", async () => {
    const clock = new ManualClock();
    const dedup = new InMemoryWebhookDeduplication({ ttlMs: 100, clock });
    await dedup.remember("wa", ["e1"]);
    clock.advance(99);
    await dedup.remember("wa", ["e2"]);
    expect(dedup.size).toBe(2);
    expect(await dedup.seen("wa", ["e1", "e2"])).toEqual(new Set(["e1", "e2"]));
  });

  it("stays within maxEntries, remembered one at a time, forgetting the oldest first", async () => {
    const dedup = new InMemoryWebhookDeduplication({ maxEntries: 3 });
    for (const id of ["e1", "e2", "e3", "e4", "e5"]) await dedup.remember("wa", [id]);
    expect(dedup.size).toBe(3);
    expect(await dedup.seen("wa", ["e1", "e2", "e3", "e4", "e5"])).toEqual(
      new Set(["e3", "e4", "e5"]),
    );
  });

  it("counts an id remembered again from then on, as the newest", async () => {
    const clock = new ManualClock();
    const dedup = new InMemoryWebhookDeduplication({ ttlMs: 100, maxEntries: 2, clock });
    await dedup.remember("wa", ["e1"]);
    clock.advance(60);
    await dedup.remember("wa", ["e2"]);
    await dedup.remember("wa", ["e1"]);
    clock.advance(60);
    expect(await dedup.seen("wa", ["e1", "e2"])).toEqual(new Set(["e1", "e2"]));
    await dedup.remember("wa", ["e3"]);
    expect(await dedup.seen("wa", ["e1", "e2", "e3"])).toEqual(new Set(["e1", "e3"]));
  });
});
