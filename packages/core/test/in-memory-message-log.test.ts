import { describe, expect, it } from "vitest";
import { InMemoryMessageLog, type SentMessage, sameRecipient } from "../src/index.js";

// The message log matches what providers send back (statuses, taps) to the message sent.

const AT = new Date("2026-11-30T12:00:00Z");
const later = (ms: number) => new Date(AT.getTime() + ms);

const sent = (overrides: Partial<SentMessage> = {}): SentMessage => ({
  messageId: "msg-1",
  providerMessageId: "wamid.1",
  provider: "whatsapp",
  organizationId: "acme",
  connectionId: "wa",
  conversationId: "conv-1",
  recipient: "+55 11 99999-0000",
  buttons: [
    { id: "yes", title: "Yes" },
    { id: "no", title: "No" },
  ],
  sentAt: AT,
  ...overrides,
});

const reply = (providerEventId: string) => ({
  providerEventId,
  buttonId: "yes",
  buttonTitle: "Yes",
  from: "5511999990000",
  at: AT,
});

describe("InMemoryMessageLog's bound", () => {
  it("keeps at most maxMessages, forgetting the oldest first, by id and by provider id", async () => {
    const log = new InMemoryMessageLog({ maxMessages: 2 });
    for (const n of [1, 2, 3]) {
      await log.record(sent({ messageId: `msg-${n}`, providerMessageId: `wamid.${n}` }));
    }
    expect(log.size).toBe(2);
    expect(await log.find("msg-1")).toBeUndefined();
    expect(await log.findByProviderMessageId("wa", "wamid.1")).toBeUndefined();
    expect((await log.find("msg-2"))?.messageId).toBe("msg-2");
    expect((await log.findByProviderMessageId("wa", "wamid.3"))?.messageId).toBe("msg-3");
  });

  it("keeps exactly the newest maxMessages through many evictions, a message recorded again keeping its first place", async () => {
    const log = new InMemoryMessageLog({ maxMessages: 3 });
    for (let n = 1; n <= 20; n += 1) {
      await log.record(sent({ messageId: `msg-${n}`, providerMessageId: `wamid.${n}` }));
      // Recorded again at once: still the newest, not a second place in the order.
      if (n % 4 === 0) {
        await log.record(sent({ messageId: `msg-${n}`, providerMessageId: `wamid.${n}` }));
      }
    }
    expect(log.size).toBe(3);
    for (let n = 1; n <= 20; n += 1) {
      const kept = n >= 18;
      expect((await log.find(`msg-${n}`)) !== undefined, `msg-${n}`).toBe(kept);
      expect((await log.findByProviderMessageId("wa", `wamid.${n}`)) !== undefined).toBe(kept);
    }
  });

  it("accepts a bound of one message", async () => {
    const log = new InMemoryMessageLog({ maxMessages: 1 });
    await log.record(sent());
    expect(log.size).toBe(1);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses maxMessages %s, naming the option", (maxMessages) => {
    expect(() => new InMemoryMessageLog({ maxMessages })).toThrow(RangeError);
    expect(() => new InMemoryMessageLog({ maxMessages })).toThrow(/^maxMessages /);
  });
});

describe("InMemoryMessageLog lookups", () => {
  it("finds a message by provider id on its own connection only", async () => {
    const log = new InMemoryMessageLog();
    await log.record(sent());
    expect((await log.findByProviderMessageId("wa", "wamid.1"))?.messageId).toBe("msg-1");
    expect(await log.findByProviderMessageId("zapi", "wamid.1")).toBeUndefined();
    expect(await log.findByProviderMessageId("w", "awamid.1")).toBeUndefined();
    expect(await log.findByProviderMessageId("wa", "wamid.2")).toBeUndefined();
  });

  it("finds the latest message to a recipient with a button, on that connection only", async () => {
    const log = new InMemoryMessageLog();
    await log.record(sent({ messageId: "old", sentAt: AT }));
    await log.record(sent({ messageId: "new", providerMessageId: "wamid.2", sentAt: later(1) }));
    await log.record(
      sent({
        messageId: "other-line",
        providerMessageId: "z.1",
        connectionId: "zapi",
        sentAt: later(2),
      }),
    );
    await log.record(
      sent({
        messageId: "other-person",
        providerMessageId: "wamid.3",
        recipient: "5511888880000",
        sentAt: later(3),
      }),
    );
    await log.record(
      sent({
        messageId: "other-buttons",
        providerMessageId: "wamid.4",
        buttons: [{ id: "maybe", title: "Maybe" }],
        sentAt: later(4),
      }),
    );
    const found = await log.findLatestWithButton("wa", "5511999990000", "yes");
    expect(found?.messageId).toBe("new");
    expect(await log.findLatestWithButton("wa", "5511999990000", "nope")).toBeUndefined();
    expect(await log.findLatestWithButton("meta", "5511999990000", "yes")).toBeUndefined();
  });

  it("takes, of two messages sent at the same time, the one recorded last", async () => {
    const log = new InMemoryMessageLog();
    await log.record(sent({ messageId: "first" }));
    await log.record(sent({ messageId: "second", providerMessageId: "wamid.2" }));
    expect((await log.findLatestWithButton("wa", "5511999990000", "yes"))?.messageId).toBe(
      "second",
    );
  });

  it("does not take a message sent earlier but recorded later", async () => {
    const log = new InMemoryMessageLog();
    await log.record(sent({ messageId: "recent", sentAt: later(5) }));
    await log.record(sent({ messageId: "stale", providerMessageId: "wamid.2", sentAt: AT }));
    expect((await log.findLatestWithButton("wa", "5511999990000", "yes"))?.messageId).toBe(
      "recent",
    );
  });
});

describe("InMemoryMessageLog statuses", () => {
  it("moves a message's status forward with its time, and keeps an error when one is given", async () => {
    const log = new InMemoryMessageLog();
    await log.record(sent());
    const delivered = await log.applyStatus("wa", "wamid.1", { status: "delivered", at: later(1) });
    expect(delivered).toMatchObject({ status: "delivered", statusAt: later(1) });
    expect(delivered).not.toHaveProperty("error");
    const failed = await log.applyStatus("wa", "wamid.1", {
      status: "failed",
      at: later(2),
      error: { code: "131026", message: "undeliverable" },
    });
    expect(failed).toMatchObject({
      status: "failed",
      statusAt: later(2),
      error: { code: "131026", message: "undeliverable" },
    });
    expect(await log.find("msg-1")).toEqual(failed);
  });

  it("leaves the record as it was for a status that does not move it forward", async () => {
    const log = new InMemoryMessageLog();
    await log.record(sent());
    const read = await log.applyStatus("wa", "wamid.1", { status: "read", at: later(1) });
    const late = await log.applyStatus("wa", "wamid.1", {
      status: "read",
      at: later(2),
      error: { code: "x", message: "y" },
    });
    expect(late).toEqual(read);
    expect(await log.applyStatus("wa", "wamid.1", { status: "sent", at: later(3) })).toEqual(read);
    expect(await log.find("msg-1")).toEqual(read);
  });

  it("answers undefined for a status of a message it does not have", async () => {
    const log = new InMemoryMessageLog();
    expect(await log.applyStatus("wa", "wamid.9", { status: "read", at: AT })).toBeUndefined();
  });
});

describe("InMemoryMessageLog replies", () => {
  it("adds each tap once, by its provider event id", async () => {
    const log = new InMemoryMessageLog();
    await log.record(sent());
    await log.addReply("msg-1", reply("tap-1"));
    await log.addReply("msg-1", reply("tap-1"));
    await log.addReply("msg-1", reply("tap-2"));
    expect((await log.find("msg-1"))?.replies).toEqual([reply("tap-1"), reply("tap-2")]);
  });

  it("ignores a tap on a message it does not have", async () => {
    const log = new InMemoryMessageLog();
    await log.addReply("msg-9", reply("tap-1"));
    expect(log.size).toBe(0);
  });
});

describe("sameRecipient", () => {
  it.each([
    ["5511999990000", "5511999990000"],
    ["+55 (11) 99999-0000", "5511999990000"],
    ["55.11.99999.0000", "+5511999990000"],
    ["123456", "12-34-56"],
    ["abc", "abc"],
  ])("takes %j and %j for one recipient", (a, b) => {
    expect(sameRecipient(a, b)).toBe(true);
    expect(sameRecipient(b, a)).toBe(true);
  });

  it.each([
    ["5511999990000", "5511999990001"],
    ["12345", "1-2345"],
    ["5511999990000x", "5511999990000"],
    ["x5511999990000", "5511999990000"],
    ["BR.1502576394655843", "1502576394655843"],
    ["", "  "],
    ["abc", "abd"],
  ])("tells %j and %j apart", (a, b) => {
    expect(sameRecipient(a, b)).toBe(false);
    expect(sameRecipient(b, a)).toBe(false);
  });
});
