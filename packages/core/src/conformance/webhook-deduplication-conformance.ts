import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { WebhookDeduplication } from "../ports/webhook-deduplication.js";
import { ManualClock } from "../testing/manual-clock.js";
import type { ExpiringStoreOptions } from "./idempotency-store-conformance.js";

export interface WebhookDeduplicationUnderTest {
  readonly deduplication: WebhookDeduplication;
  close?(): Promise<void>;
}

const TTL_MS = 60_000;

/**
 * The behaviour every {@link WebhookDeduplication} must have, as a vitest suite. `setup` is
 * called before each test, with the TTL and the clock the deduplication must use (and
 * nothing else for time), and must give one that remembers no id.
 */
export function webhookDeduplicationConformance(
  name: string,
  setup: (options: ExpiringStoreOptions) => Promise<WebhookDeduplicationUnderTest>,
): void {
  describe(`WebhookDeduplication conformance: ${name}`, () => {
    let subject: WebhookDeduplicationUnderTest | undefined;
    let dedup: WebhookDeduplication;
    let clock: ManualClock;

    beforeEach(async () => {
      clock = new ManualClock();
      subject = await setup({ ttlMs: TTL_MS, clock });
      dedup = subject.deduplication;
    });
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });

    it("has seen nothing at first", async () => {
      expect(await dedup.seen("wa", ["e1", "e2"])).toEqual(new Set());
    });

    it("has seen the ids it was told to remember, and only those", async () => {
      await dedup.remember("wa", ["e1", "e2"]);
      expect(await dedup.seen("wa", ["e1", "e3", "e2"])).toEqual(new Set(["e1", "e2"]));
      expect(await dedup.seen("wa", ["e3", "E1", "e1 ", "e"])).toEqual(new Set());
    });

    it("keeps ids per connection, whatever characters the connection id holds", async () => {
      await dedup.remember("wa", ["e1"]);
      await dedup.remember("a:b", ["c"]);
      expect(await dedup.seen("zapi", ["e1"])).toEqual(new Set());
      // Naive concatenation would join these to what was remembered.
      expect(await dedup.seen("w", ["ae1"])).toEqual(new Set());
      expect(await dedup.seen("wa:", ["e1"])).toEqual(new Set());
      expect(await dedup.seen("a", ["b:c"])).toEqual(new Set());
      expect(await dedup.seen("a:b", ["c"])).toEqual(new Set(["c"]));
      expect(await dedup.seen("wa", ["e1"])).toEqual(new Set(["e1"]));
    });

    it("remembers unicode, long and quoted ids as they are", async () => {
      const ids = [
        "wamid.HBgNNTUx==",
        "evento-ção-✓-🔑",
        "caf\u00e9",
        `'q' "q" \\`,
        "x".repeat(512),
      ];
      await dedup.remember("conexão-✓", ids);
      expect(await dedup.seen("conexão-✓", ids)).toEqual(new Set(ids));
      expect(await dedup.seen("conexão-✓", ["cafe\u0301"])).toEqual(new Set());
    });

    it("answers an empty set for no ids, and remembers nothing when given none", async () => {
      await dedup.remember("wa", []);
      expect(await dedup.seen("wa", [])).toEqual(new Set());
      await dedup.remember("wa", ["e1"]);
      expect(await dedup.seen("wa", [])).toEqual(new Set());
    });

    it("takes the same id twice in one call", async () => {
      await dedup.remember("wa", ["e1", "e1"]);
      expect(await dedup.seen("wa", ["e1", "e1", "e2"])).toEqual(new Set(["e1"]));
    });

    it("takes an id remembered twice", async () => {
      await dedup.remember("wa", ["e1"]);
      await dedup.remember("wa", ["e1", "e2"]);
      expect(await dedup.seen("wa", ["e1", "e2"])).toEqual(new Set(["e1", "e2"]));
    });

    it("takes a webhook's worth of ids at once", async () => {
      const ids = Array.from({ length: 1_000 }, (_, index) => `wamid.${index}`);
      await dedup.remember("wa", ids);
      expect(await dedup.seen("wa", [...ids, "wamid.1000"])).toEqual(new Set(ids));
    });

    it("remembers an id for ttlMs: seen at ttlMs - 1, forgotten at ttlMs", async () => {
      await dedup.remember("wa", ["e1"]);
      clock.advance(TTL_MS - 1);
      expect(await dedup.seen("wa", ["e1"])).toEqual(new Set(["e1"]));
      clock.advance(1);
      expect(await dedup.seen("wa", ["e1"])).toEqual(new Set());
    });

    it("expires each id on its own clock", async () => {
      await dedup.remember("wa", ["early"]);
      clock.advance(TTL_MS / 2);
      await dedup.remember("wa", ["late"]);
      clock.advance(TTL_MS / 2);
      expect(await dedup.seen("wa", ["early", "late"])).toEqual(new Set(["late"]));
      clock.advance(TTL_MS / 2);
      expect(await dedup.seen("wa", ["early", "late"])).toEqual(new Set());
    });

    it("remembers an id remembered again for ttlMs from then", async () => {
      await dedup.remember("wa", ["e1"]);
      clock.advance(TTL_MS - 10);
      await dedup.remember("wa", ["e1"]);
      clock.advance(TTL_MS - 1);
      expect(await dedup.seen("wa", ["e1"])).toEqual(new Set(["e1"]));
      clock.advance(1);
      expect(await dedup.seen("wa", ["e1"])).toEqual(new Set());
    });

    it("remembers an expired id again", async () => {
      await dedup.remember("wa", ["e1"]);
      clock.advance(TTL_MS);
      await dedup.remember("wa", ["e1"]);
      expect(await dedup.seen("wa", ["e1"])).toEqual(new Set(["e1"]));
    });
  });
}
