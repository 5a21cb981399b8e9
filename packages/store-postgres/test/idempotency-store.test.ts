import { ManualClock } from "@replykit/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScratchDatabase, scratchDatabase } from "./database.js";

const result = (messageId: string) => ({
  messageId,
  providerMessageId: `wamid.${messageId}`,
  provider: "whatsapp",
  conversationId: "conv-1",
  status: "sent" as const,
});

let database: ScratchDatabase;
beforeAll(async () => {
  database = await scratchDatabase();
});
afterAll(async () => database?.drop());

const uniqueKey = () => ({ organizationId: "org-1", key: crypto.randomUUID() });

describe("PostgresIdempotencyStore across instances", () => {
  it("gives exactly one of 50 concurrent claims of one key across two instances the key", async () => {
    const [a, b] = [database.open({ poolSize: 8 }), database.open({ poolSize: 8 })];
    const key = uniqueKey();
    const claims = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        (index % 2 === 0 ? a : b).idempotency.claim(key, "fingerprint"),
      ),
    );
    expect(claims.filter((claim) => claim.status === "claimed")).toHaveLength(1);
    expect(claims.filter((claim) => claim.status === "in_progress")).toHaveLength(49);
  });

  it("shows another instance the result one instance completed", async () => {
    const [a, b] = [database.open(), database.open()];
    const key = uniqueKey();
    await a.idempotency.claim(key, "f");
    await a.idempotency.complete(key, result("m-1"));
    expect(await b.idempotency.claim(key, "f")).toEqual({
      status: "completed",
      fingerprint: "f",
      result: result("m-1"),
    });
  });

  it("replays a result with its fields in the order it was completed with, so a repeat's body is the same bytes", async () => {
    const store = database.open();
    const key = uniqueKey();
    await store.idempotency.claim(key, "f");
    await store.idempotency.complete(key, result("m-order"));
    const claim = await store.idempotency.claim(key, "f");
    expect(claim.status === "completed" && JSON.stringify(claim.result)).toBe(
      JSON.stringify(result("m-order")),
    );
  });

  it("keeps every key when an instance closes and another starts (a restart)", async () => {
    const first = database.open();
    const [done, unknown, running] = [uniqueKey(), uniqueKey(), uniqueKey()];
    for (const key of [done, unknown, running]) await first.idempotency.claim(key, "f");
    await first.idempotency.complete(done, result("m-0"));
    await first.idempotency.markOutcomeUnknown(unknown);
    await first.close();
    const restarted = database.open();
    expect((await restarted.idempotency.claim(done, "f")).status).toBe("completed");
    expect((await restarted.idempotency.claim(unknown, "f")).status).toBe("outcome_unknown");
    expect((await restarted.idempotency.claim(running, "f")).status).toBe("in_progress");
  });
});

describe("PostgresIdempotencyStore leases", () => {
  it("reports a claim whose holder stopped renewing as outcome_unknown, never claimable again", async () => {
    const clock = new ManualClock(Date.parse("2026-11-30T12:00:00Z"));
    const dead = database.open({ clock, idempotency: { leaseMs: 1_000 } });
    const survivor = database.open({ clock, idempotency: { leaseMs: 1_000 } });
    const key = uniqueKey();
    expect((await dead.idempotency.claim(key, "f")).status).toBe("claimed");
    dead.idempotency.close(); // the process dies: no more heartbeats
    clock.advance(999);
    expect(await survivor.idempotency.claim(key, "f")).toEqual({
      status: "in_progress",
      fingerprint: "f",
    });
    clock.advance(1);
    expect(await survivor.idempotency.claim(key, "f")).toEqual({
      status: "outcome_unknown",
      fingerprint: "f",
    });
    clock.advance(10_000);
    expect((await survivor.idempotency.claim(key, "f")).status).toBe("outcome_unknown");
  });

  it("keeps a live holder's claim in progress past the lease by renewing it", async () => {
    const clock = new ManualClock(Date.parse("2026-11-30T12:00:00Z"));
    const holder = database.open({ clock, idempotency: { leaseMs: 1_000 } });
    const other = database.open({ clock, idempotency: { leaseMs: 1_000 } });
    const key = uniqueKey();
    await holder.idempotency.claim(key, "f");
    clock.advance(900);
    await holder.idempotency.renewLeases();
    clock.advance(900);
    expect((await other.idempotency.claim(key, "f")).status).toBe("in_progress");
  });

  it("renews on its own timer while a claim is held, and stops once none is", async () => {
    const holder = database.open({ idempotency: { leaseMs: 300 } });
    const other = database.open({ idempotency: { leaseMs: 300 } });
    const key = uniqueKey();
    await holder.idempotency.claim(key, "f");
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect((await other.idempotency.claim(key, "f")).status).toBe("in_progress");
    await holder.idempotency.complete(key, result("m-2"));
    expect((await other.idempotency.claim(key, "f")).status).toBe("completed");
  });

  it("records the outcome a slow holder learns after its lease lapsed", async () => {
    const clock = new ManualClock(Date.parse("2026-11-30T12:00:00Z"));
    const slow = database.open({ clock, idempotency: { leaseMs: 1_000 } });
    const other = database.open({ clock, idempotency: { leaseMs: 1_000 } });
    const key = uniqueKey();
    await slow.idempotency.claim(key, "f");
    slow.idempotency.close();
    clock.advance(5_000);
    expect((await other.idempotency.claim(key, "f")).status).toBe("outcome_unknown");
    await slow.idempotency.complete(key, result("m-3"));
    expect((await other.idempotency.claim(key, "f")).status).toBe("completed");
  });

  it("stops renewing a key whose outcome could not be written, so that it lapses into outcome_unknown", async () => {
    const holder = database.open({ idempotency: { leaseMs: 300 } });
    const other = database.open({ idempotency: { leaseMs: 300 } });
    const key = uniqueKey();
    await holder.idempotency.claim(key, "f");
    // The write fails while the pool still works (and would keep renewing the lease).
    const unwritable = {
      ...result("m-lost"),
      get messageId(): string {
        throw new TypeError("cannot serialize");
      },
    };
    await expect(holder.idempotency.complete(key, unwritable)).rejects.toThrow("cannot serialize");
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(await other.idempotency.claim(key, "f")).toEqual({
      status: "outcome_unknown",
      fingerprint: "f",
    });
  });

  it("lets only the instance that claimed a key release it", async () => {
    const [holder, stranger] = [database.open(), database.open()];
    const key = uniqueKey();
    await holder.idempotency.claim(key, "f");
    await stranger.idempotency.release(key);
    await stranger.idempotency.complete(key, result("m-4"));
    expect((await stranger.idempotency.claim(key, "f")).status).toBe("in_progress");
    await holder.idempotency.release(key);
    expect((await stranger.idempotency.claim(key, "f")).status).toBe("claimed");
  });
});

describe("PostgresIdempotencyStore expiry", () => {
  it("sweeps expired keys through the expiry index and keeps live ones", async () => {
    const clock = new ManualClock(Date.parse("2026-11-30T12:00:00Z"));
    const store = database.open({ clock, idempotency: { ttlMs: 60_000 } });
    const old = uniqueKey();
    await store.idempotency.claim(old, "f");
    await store.idempotency.complete(old, result("m-5"));
    clock.advance(30_000);
    const young = uniqueKey();
    await store.idempotency.claim(young, "f");
    await store.idempotency.complete(young, result("m-6"));
    clock.advance(30_000);
    expect(await store.idempotency.sweepExpired(1)).toBeGreaterThanOrEqual(1);
    const [left] = await store.sql<{ count: string }[]>`
      SELECT count(*) FROM replykit_idempotency_keys
      WHERE organization_id = ${old.organizationId} AND key IN (${old.key}, ${young.key})`;
    expect(Number(left?.count)).toBe(1);
    // With scans of the whole table ruled out, the sweep's query must still have a plan.
    const plan = await store.sql.begin(async (transaction) => {
      await transaction`SET LOCAL enable_seqscan = off`;
      return transaction.unsafe(
        "EXPLAIN SELECT ctid FROM replykit_idempotency_keys WHERE expires_at <= now() ORDER BY expires_at LIMIT 1000",
      );
    });
    expect(JSON.stringify(plan)).toMatch(/Index Scan (using|on) replykit_idempotency_keys_expiry/);
  });
});
