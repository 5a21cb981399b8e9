import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../ports/clock.js";
import type { IdempotencyKey, IdempotencyStore } from "../ports/idempotency-store.js";
import type { SendButtonsResult } from "../send-buttons-result.js";
import { ManualClock } from "../testing/manual-clock.js";

/** What a store that forgets after a while is made with, for a conformance suite. */
export interface ExpiringStoreOptions {
  /** How long an entry is remembered. */
  readonly ttlMs: number;
  /** The store's only source of time: the suite moves it to expire entries. */
  readonly clock: Clock;
}

export interface IdempotencyStoreUnderTest {
  readonly store: IdempotencyStore;
  close?(): Promise<void>;
}

const TTL_MS = 60_000;

const key = (name: string, organizationId = "acme"): IdempotencyKey => ({
  organizationId,
  key: name,
});

const resultOf = (id: string): SendButtonsResult => ({
  messageId: `msg-${id}`,
  providerMessageId: `wamid.${id}`,
  provider: "whatsapp",
  conversationId: `conv-${id}`,
  status: "sent",
});

/**
 * The behaviour every {@link IdempotencyStore} must have, as a vitest suite. `setup` is
 * called before each test, with the TTL and the clock the store must use (and nothing
 * else for time), and must give a store that remembers no key: a shared store empties its
 * tables. Organization ids and keys are any strings without NUL or lone surrogates.
 */
export function idempotencyStoreConformance(
  name: string,
  setup: (options: ExpiringStoreOptions) => Promise<IdempotencyStoreUnderTest>,
): void {
  describe(`IdempotencyStore conformance: ${name}`, () => {
    let subject: IdempotencyStoreUnderTest | undefined;
    let store: IdempotencyStore;
    let clock: ManualClock;

    beforeEach(async () => {
      clock = new ManualClock();
      subject = await setup({ ttlMs: TTL_MS, clock });
      store = subject.store;
    });
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });

    describe("claims", () => {
      it("gives the first claim of a key to its caller", async () => {
        expect(await store.claim(key("k"), "f1")).toEqual({ status: "claimed" });
      });

      it("answers a second claim of a running key with in_progress and the first fingerprint", async () => {
        await store.claim(key("k"), "f1");
        expect(await store.claim(key("k"), "f2")).toEqual({
          status: "in_progress",
          fingerprint: "f1",
        });
        expect(await store.claim(key("k"), "f1")).toEqual({
          status: "in_progress",
          fingerprint: "f1",
        });
      });

      it("replays a completed key's exact result and fingerprint", async () => {
        const result: SendButtonsResult = {
          messageId: "0195f3c2-7d4e-7a10-9c1b-2f6d8e4a5b3c",
          providerMessageId: "wamid.HBgNNTUxMTk5OTk5MDAwMBUCABEYEjk=",
          provider: "z-api",
          conversationId: "conversa-ção-✓",
          status: "sent",
        };
        await store.claim(key("k"), "f1");
        await store.complete(key("k"), result);
        const replay = await store.claim(key("k"), "f2");
        expect(replay).toEqual({ status: "completed", fingerprint: "f1", result });
        expect(await store.claim(key("k"), "f1")).toEqual(replay);
      });

      it("answers outcome_unknown, with the fingerprint, for a key marked so", async () => {
        await store.claim(key("k"), "f1");
        await store.markOutcomeUnknown(key("k"));
        expect(await store.claim(key("k"), "f2")).toEqual({
          status: "outcome_unknown",
          fingerprint: "f1",
        });
        expect(await store.claim(key("k"), "f1")).toEqual({
          status: "outcome_unknown",
          fingerprint: "f1",
        });
      });

      it("lets a released key be claimed again, with the new claim's fingerprint", async () => {
        await store.claim(key("k"), "f1");
        await store.release(key("k"));
        expect(await store.claim(key("k"), "f2")).toEqual({ status: "claimed" });
        expect(await store.claim(key("k"), "f3")).toEqual({
          status: "in_progress",
          fingerprint: "f2",
        });
      });

      it("keeps a fingerprint exactly as given: long, quoted, unicode", async () => {
        const fingerprint = JSON.stringify([
          "agent-1",
          "conv-1",
          null,
          `Olá 👋 "quoted" \\ back\nslash — ${"x".repeat(4_000)}`,
          null,
          [
            ["yes-✓", "Sim 👍"],
            ["e\u0301", "é"],
          ],
        ]);
        await store.claim(key("k"), fingerprint);
        expect(await store.claim(key("k"), "other")).toEqual({
          status: "in_progress",
          fingerprint,
        });
        await store.complete(key("k"), resultOf("1"));
        const replay = await store.claim(key("k"), "other");
        expect(replay.status === "completed" && replay.fingerprint).toBe(fingerprint);
      });
    });

    describe("completing, marking and releasing only a claimed key", () => {
      it("does nothing to a key never claimed: it can still be claimed", async () => {
        await store.complete(key("completed"), resultOf("1"));
        await store.markOutcomeUnknown(key("unknown"));
        await store.release(key("released"));
        for (const name of ["completed", "unknown", "released"]) {
          expect(await store.claim(key(name), "f")).toEqual({ status: "claimed" });
        }
      });

      it("does not forget a completed key when asked to release it", async () => {
        await store.claim(key("k"), "f1");
        await store.complete(key("k"), resultOf("1"));
        await store.release(key("k"));
        expect(await store.claim(key("k"), "f2")).toEqual({
          status: "completed",
          fingerprint: "f1",
          result: resultOf("1"),
        });
      });

      it("does not forget a key of unknown outcome when asked to release it", async () => {
        await store.claim(key("k"), "f1");
        await store.markOutcomeUnknown(key("k"));
        await store.release(key("k"));
        expect(await store.claim(key("k"), "f2")).toEqual({
          status: "outcome_unknown",
          fingerprint: "f1",
        });
      });

      it("keeps a completed key's first result: a later complete or mark changes nothing", async () => {
        await store.claim(key("k"), "f1");
        await store.complete(key("k"), resultOf("1"));
        await store.complete(key("k"), resultOf("2"));
        await store.markOutcomeUnknown(key("k"));
        expect(await store.claim(key("k"), "f2")).toEqual({
          status: "completed",
          fingerprint: "f1",
          result: resultOf("1"),
        });
      });

      it("keeps a key of unknown outcome so: a later complete changes nothing", async () => {
        await store.claim(key("k"), "f1");
        await store.markOutcomeUnknown(key("k"));
        await store.complete(key("k"), resultOf("1"));
        expect(await store.claim(key("k"), "f2")).toEqual({
          status: "outcome_unknown",
          fingerprint: "f1",
        });
      });

      it("does not complete a key released before: it is free again", async () => {
        await store.claim(key("k"), "f1");
        await store.release(key("k"));
        await store.complete(key("k"), resultOf("1"));
        await store.markOutcomeUnknown(key("k"));
        expect(await store.claim(key("k"), "f2")).toEqual({ status: "claimed" });
      });
    });

    describe("organizations", () => {
      it("keeps one key of two organizations apart through every state", async () => {
        const mine = key("order-42", "org-a");
        const theirs = key("order-42", "org-b");
        expect(await store.claim(mine, "mine")).toEqual({ status: "claimed" });
        expect(await store.claim(theirs, "theirs")).toEqual({ status: "claimed" });
        await store.complete(mine, resultOf("mine"));
        expect(await store.claim(theirs, "x")).toEqual({
          status: "in_progress",
          fingerprint: "theirs",
        });
        await store.markOutcomeUnknown(theirs);
        expect(await store.claim(mine, "x")).toEqual({
          status: "completed",
          fingerprint: "mine",
          result: resultOf("mine"),
        });
        expect(await store.claim(theirs, "x")).toEqual({
          status: "outcome_unknown",
          fingerprint: "theirs",
        });
        await store.release(key("order-42", "org-c"));
        expect(await store.claim(key("order-42", "org-c"), "x")).toEqual({ status: "claimed" });
      });

      // Pairs that naive concatenation (with or without a separator, escaped or not) joins.
      const colliding: readonly (readonly [IdempotencyKey, IdempotencyKey])[] = [
        [key("b:c", "a"), key("c", "a:b")],
        [key("b|c", "a"), key("c", "a|b")],
        [key("c", "ab"), key("bc", "a")],
        [key("b", "1:a"), key(":ab", "1")],
        [key("c", "a/b"), key("b/c", "a")],
        [key("c", "a\u001fb"), key("b\u001fc", "a")],
        [key("%3Ab", "a"), key("b", "a%3A")],
      ];

      it.each(colliding)(
        "keeps %j and %j apart, which naive concatenation would join",
        async (first, second) => {
          expect(await store.claim(first, "first")).toEqual({ status: "claimed" });
          expect(await store.claim(second, "second")).toEqual({ status: "claimed" });
          await store.complete(first, resultOf("first"));
          expect(await store.claim(second, "x")).toEqual({
            status: "in_progress",
            fingerprint: "second",
          });
          await store.release(second);
          expect(await store.claim(first, "x")).toEqual({
            status: "completed",
            fingerprint: "first",
            result: resultOf("first"),
          });
          expect(await store.claim(second, "x")).toEqual({ status: "claimed" });
        },
      );

      it("keeps any two different (organization, key) pairs apart", async () => {
        let run = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.string({ maxLength: 6 }),
            fc.string({ maxLength: 6 }),
            fc.string({ maxLength: 6 }),
            fc.string({ maxLength: 6 }),
            async (organizationA, keyA, organizationB, keyB) => {
              fc.pre(organizationA !== organizationB || keyA !== keyB);
              // A prefix of each run's own keeps the runs apart in one store.
              run += 1;
              const first = { organizationId: `${run}/${organizationA}`, key: keyA };
              const second = { organizationId: `${run}/${organizationB}`, key: keyB };
              expect(await store.claim(first, "first")).toEqual({ status: "claimed" });
              expect(await store.claim(second, "second")).toEqual({ status: "claimed" });
            },
          ),
          { numRuns: 30 },
        );
      });
    });

    describe("keys", () => {
      it.each([
        ["unicode", "pedido-ção-✓-🔑-你好"],
        ["an astral character alone", "𝒜"],
        ["spaces and quotes", ` 'a' "b" \\c `],
        ["255 characters", "k".repeat(255)],
      ])("remembers a key of %s as it is", async (_label, name) => {
        const organizationId = `org-${name}`;
        expect(await store.claim(key(name, organizationId), "f")).toEqual({ status: "claimed" });
        await store.complete(key(name, organizationId), resultOf("1"));
        expect(await store.claim(key(name, organizationId), "x")).toEqual({
          status: "completed",
          fingerprint: "f",
          result: resultOf("1"),
        });
      });

      it.each([
        ["case", "Key", "key"],
        ["Unicode normalization", "caf\u00e9", "cafe\u0301"],
        ["a trailing space", "k", "k "],
        ["a leading zero", "01", "1"],
      ])(
        "tells apart keys, and organizations, that differ only in %s",
        async (_label, first, second) => {
          expect(await store.claim(key(first), "f1")).toEqual({ status: "claimed" });
          expect(await store.claim(key(second), "f2")).toEqual({ status: "claimed" });
          expect(await store.claim(key("k", first), "f3")).toEqual({ status: "claimed" });
          expect(await store.claim(key("k", second), "f4")).toEqual({ status: "claimed" });
        },
      );
    });

    describe("expiry", () => {
      it("remembers a completed key for ttlMs after completion: there at ttlMs - 1, free at ttlMs", async () => {
        await store.claim(key("k"), "f1");
        clock.advance(TTL_MS / 2);
        await store.complete(key("k"), resultOf("1"));
        clock.advance(TTL_MS - 1);
        expect(await store.claim(key("k"), "f2")).toEqual({
          status: "completed",
          fingerprint: "f1",
          result: resultOf("1"),
        });
        clock.advance(1);
        expect(await store.claim(key("k"), "f2")).toEqual({ status: "claimed" });
        expect(await store.claim(key("k"), "f3")).toEqual({
          status: "in_progress",
          fingerprint: "f2",
        });
      });

      it("remembers a key of unknown outcome for ttlMs after it was marked", async () => {
        await store.claim(key("k"), "f1");
        clock.advance(TTL_MS / 2);
        await store.markOutcomeUnknown(key("k"));
        clock.advance(TTL_MS - 1);
        expect(await store.claim(key("k"), "f2")).toEqual({
          status: "outcome_unknown",
          fingerprint: "f1",
        });
        clock.advance(1);
        expect(await store.claim(key("k"), "f2")).toEqual({ status: "claimed" });
      });

      it("frees a key whose claim was never settled once ttlMs has passed", async () => {
        await store.claim(key("k"), "f1");
        clock.advance(TTL_MS - 1);
        expect(await store.claim(key("k"), "f2")).toEqual({
          status: "in_progress",
          fingerprint: "f1",
        });
        clock.advance(1);
        expect(await store.claim(key("k"), "f2")).toEqual({ status: "claimed" });
      });

      it("does not complete a claim that expired and was taken again: the new claim holds", async () => {
        await store.claim(key("k"), "f1");
        clock.advance(TTL_MS);
        expect(await store.claim(key("k"), "f2")).toEqual({ status: "claimed" });
        await store.complete(key("k"), resultOf("2"));
        expect(await store.claim(key("k"), "f3")).toEqual({
          status: "completed",
          fingerprint: "f2",
          result: resultOf("2"),
        });
      });

      it("expires each key on its own clock", async () => {
        await store.claim(key("early"), "e");
        await store.complete(key("early"), resultOf("early"));
        clock.advance(TTL_MS / 2);
        await store.claim(key("late"), "l");
        await store.complete(key("late"), resultOf("late"));
        clock.advance(TTL_MS / 2);
        expect(await store.claim(key("early"), "x")).toEqual({ status: "claimed" });
        expect(await store.claim(key("late"), "x")).toEqual({
          status: "completed",
          fingerprint: "l",
          result: resultOf("late"),
        });
      });
    });

    describe("concurrency", () => {
      const claimAtOnce = (name: IdempotencyKey, count: number) =>
        Promise.all(Array.from({ length: count }, (_, index) => store.claim(name, `f${index}`)));

      const expectOneWinner = (claims: Awaited<ReturnType<IdempotencyStore["claim"]>>[]) => {
        const winners = claims.flatMap((claim, index) =>
          claim.status === "claimed" ? [index] : [],
        );
        expect(winners).toHaveLength(1);
        const others = claims.filter((claim) => claim.status !== "claimed");
        for (const other of others) {
          expect(other).toEqual({ status: "in_progress", fingerprint: `f${winners[0]}` });
        }
      };

      it("gives exactly one of 20 concurrent claims of a key; the others see its fingerprint", async () => {
        expectOneWinner(await claimAtOnce(key("k"), 20));
      });

      it("gives exactly one of 20 concurrent claims of a key that has just expired", async () => {
        await store.claim(key("k"), "old");
        await store.complete(key("k"), resultOf("old"));
        clock.advance(TTL_MS);
        expectOneWinner(await claimAtOnce(key("k"), 20));
      });

      it("gives exactly one of 20 concurrent claims of a key just released", async () => {
        await store.claim(key("k"), "old");
        await store.release(key("k"));
        expectOneWinner(await claimAtOnce(key("k"), 20));
      });

      it("gives exactly one claim per key when several keys are claimed concurrently, interleaved", async () => {
        let run = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.uniqueArray(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 5 }),
            fc.integer({ min: 2, max: 12 }),
            async (names, perKey) => {
              run += 1;
              const organizationId = `concurrent-${run}`;
              const claims = await Promise.all(
                Array.from({ length: perKey * names.length }, (_, index) => {
                  const name = names[index % names.length] as string;
                  return store
                    .claim({ organizationId, key: name }, `f${index}`)
                    .then((claim) => ({ name, claim }));
                }),
              );
              for (const name of names) {
                const mine = claims.filter((claim) => claim.name === name);
                expect(mine.filter(({ claim }) => claim.status === "claimed")).toHaveLength(1);
                expect(mine.filter(({ claim }) => claim.status === "in_progress")).toHaveLength(
                  perKey - 1,
                );
              }
            },
          ),
          { numRuns: 20 },
        );
      });
    });
  });
}
