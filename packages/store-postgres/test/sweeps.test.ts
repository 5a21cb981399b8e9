import { ManualClock } from "@replykit/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScratchDatabase, scratchDatabase } from "./database.js";

let database: ScratchDatabase;
beforeAll(async () => {
  database = await scratchDatabase();
});
afterAll(async () => database?.drop());

const start = Date.parse("2026-11-30T12:00:00Z");
const sent = (messageId: string, sentAt: Date) => ({
  messageId,
  providerMessageId: `wamid.${messageId}`,
  provider: "whatsapp",
  organizationId: "acme",
  connectionId: "acme-wa",
  conversationId: "c-1",
  recipient: "5511999990000",
  buttons: [{ id: "yes", title: "Yes" }],
  sentAt,
});

describe("the store's sweep", () => {
  it("deletes expired webhook ids in batches until none is left, and keeps live ones", async () => {
    const clock = new ManualClock(start);
    const store = database.open({ clock, webhookDeduplication: { ttlMs: 1_000 } });
    await store.webhookDeduplication.remember("sweep-wa", ["old-1", "old-2", "old-3"]);
    clock.advance(500);
    await store.webhookDeduplication.remember("sweep-wa", ["young"]);
    clock.advance(500);
    expect(await store.webhookDeduplication.sweepExpired(1)).toBe(3);
    const rows = await store.sql<{ provider_event_id: string }[]>`
      SELECT provider_event_id FROM replykit_webhook_events WHERE connection_id = 'sweep-wa'`;
    expect(rows.map((row) => row.provider_event_id)).toEqual(["young"]);
  });

  it("deletes messages sent before the retention, their replies with them, and keeps the rest", async () => {
    const store = database.open();
    await store.messageLog.record(sent("sweep-old-1", new Date(start - 2_000)));
    await store.messageLog.record(sent("sweep-old-2", new Date(start - 1_500)));
    await store.messageLog.record(sent("sweep-new", new Date(start)));
    await store.messageLog.addReply("sweep-old-1", {
      providerEventId: "tap-1",
      buttonId: "yes",
      from: "5511999990000",
      at: new Date(start - 1_000),
    });
    expect(await store.messageLog.sweepSentBefore(new Date(start - 1_000), 1)).toBe(2);
    expect(await store.messageLog.find("sweep-old-1")).toBeUndefined();
    expect(await store.messageLog.find("sweep-new")).toMatchObject({ messageId: "sweep-new" });
    const replies = await store.sql`
      SELECT 1 FROM replykit_message_replies WHERE message_id = 'sweep-old-1'`;
    expect(replies).toHaveLength(0);
  });

  it("sweeps every table at once, by the store's clock and retention", async () => {
    const clock = new ManualClock(start + 10 * 86_400_000);
    const store = database.open({ clock, messageRetentionMs: 86_400_000 });
    await store.messageLog.record(sent("sweep-ancient", new Date(start)));
    expect(await store.sweep()).toBeGreaterThanOrEqual(1);
    expect(await store.messageLog.find("sweep-ancient")).toBeUndefined();
  });

  it("refuses a batch size that is not a positive integer", async () => {
    const store = database.open();
    await expect(store.idempotency.sweepExpired(0)).rejects.toThrow(RangeError);
  });
});
