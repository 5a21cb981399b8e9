import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sameRecipient } from "../in-memory-message-log.js";
import { type DeliveryState, STATUS_RANK } from "../inbound/events.js";
import type { MessageLog, RecordedReply, SentMessage } from "../ports/message-log.js";

export interface MessageLogUnderTest {
  readonly log: MessageLog;
  close?(): Promise<void>;
}

const AT = new Date("2026-11-30T12:00:00.123Z");
const later = (milliseconds: number) => new Date(AT.getTime() + milliseconds);

const DELIVERY_STATES = Object.keys(STATUS_RANK) as DeliveryState[];

let suiteRun = 0;

/**
 * The behaviour every {@link MessageLog} must have, as a vitest suite. `setup` is called
 * before each test; every test uses message and connection ids of its own, so a log that
 * keeps what earlier tests recorded passes too. Recipients are matched as
 * {@link sameRecipient} matches them.
 */
export function messageLogConformance(
  name: string,
  setup: () => Promise<MessageLogUnderTest>,
): void {
  describe(`MessageLog conformance: ${name}`, () => {
    let subject: MessageLogUnderTest | undefined;
    let log: MessageLog;
    let tag = "";

    /** An id of this test's own. */
    const id = (name: string) => `${tag}:${name}`;

    const sent = (overrides: Partial<SentMessage> = {}): SentMessage => ({
      messageId: id("msg-1"),
      providerMessageId: "wamid.1",
      provider: "whatsapp",
      organizationId: "acme",
      connectionId: id("wa"),
      conversationId: "conv-1",
      recipient: "+55 11 99999-0000",
      buttons: [
        { id: "yes", title: "Yes" },
        { id: "no", title: "No" },
      ],
      sentAt: AT,
      ...overrides,
    });

    const reply = (providerEventId: string, overrides: Partial<RecordedReply> = {}) => ({
      providerEventId,
      buttonId: "yes",
      buttonTitle: "Yes",
      from: "5511999990000",
      at: AT,
      ...overrides,
    });

    beforeEach(async () => {
      suiteRun += 1;
      tag = `t${suiteRun}-${Date.now().toString(36)}`;
      subject = await setup();
      log = subject.log;
    });
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });

    describe("recording and finding", () => {
      it("finds a recorded message by its id with every field as recorded and no replies yet", async () => {
        const message = sent({
          providerMessageId: "wamid.HBgNNTUxMTk5OTk5MDAwMBUCABEYEjk=",
          provider: "z-api",
          organizationId: "org-ção",
          conversationId: "conversa-✓",
          recipient: "+55 (11) 99999-0000",
          buttons: [
            { id: "z-last", title: "Sim 👍" },
            { id: "a-first", title: "Não" },
            { id: "m-middle", title: "Talvez, e\u0301 — 你好" },
          ],
          sentAt: new Date("2026-11-30T12:34:56.789Z"),
        });
        await log.record(message);
        const found = await log.find(message.messageId);
        expect(found).toEqual({ ...message, replies: [] });
        expect(found?.sentAt).toBeInstanceOf(Date);
        expect(found?.sentAt.getTime()).toBe(message.sentAt.getTime());
        expect(found?.buttons.map((button) => button.id)).toEqual([
          "z-last",
          "a-first",
          "m-middle",
        ]);
        expect(found?.status).toBeUndefined();
        expect(found?.statusAt).toBeUndefined();
        expect(found?.error).toBeUndefined();
      });

      it("keeps a message with a single button", async () => {
        const message = sent({ buttons: [{ id: "ok", title: "OK" }] });
        await log.record(message);
        expect(await log.find(message.messageId)).toEqual({ ...message, replies: [] });
      });

      it("keeps several messages apart", async () => {
        const first = sent();
        const second = sent({
          messageId: id("msg-2"),
          providerMessageId: "wamid.2",
          recipient: "5511888880000",
          sentAt: later(1),
        });
        await log.record(first);
        await log.record(second);
        expect(await log.find(first.messageId)).toEqual({ ...first, replies: [] });
        expect(await log.find(second.messageId)).toEqual({ ...second, replies: [] });
      });

      it("answers undefined for a message id it does not have", async () => {
        await log.record(sent());
        expect(await log.find(id("msg-9"))).toBeUndefined();
        expect(await log.find(id("MSG-1"))).toBeUndefined();
        expect(await log.find(`${id("msg-1")} `)).toBeUndefined();
      });
    });

    describe("finding by provider message id", () => {
      it("finds a message by provider id on its own connection only", async () => {
        await log.record(sent({ connectionId: id("wa"), providerMessageId: "wamid.1" }));
        expect((await log.findByProviderMessageId(id("wa"), "wamid.1"))?.messageId).toBe(
          id("msg-1"),
        );
        expect(await log.findByProviderMessageId(id("zapi"), "wamid.1")).toBeUndefined();
        // "…:w" + "awamid.1" joins to what "…:wa" + "wamid.1" does.
        expect(await log.findByProviderMessageId(id("w"), "awamid.1")).toBeUndefined();
        expect(await log.findByProviderMessageId(id("wa"), "wamid.2")).toBeUndefined();
      });

      it("keeps one provider message id on two connections as two messages", async () => {
        const onMeta = sent({ messageId: id("meta"), connectionId: id("meta") });
        const onZapi = sent({ messageId: id("zapi"), connectionId: id("zapi"), provider: "z-api" });
        await log.record(onMeta);
        await log.record(onZapi);
        expect(await log.findByProviderMessageId(id("meta"), "wamid.1")).toEqual({
          ...onMeta,
          replies: [],
        });
        expect(await log.findByProviderMessageId(id("zapi"), "wamid.1")).toEqual({
          ...onZapi,
          replies: [],
        });
      });
    });

    describe("finding the latest message with a button", () => {
      it("takes the latest sent to the recipient on the connection with that button", async () => {
        await log.record(sent({ messageId: id("old"), providerMessageId: "wamid.1", sentAt: AT }));
        await log.record(
          sent({ messageId: id("new"), providerMessageId: "wamid.2", sentAt: later(1) }),
        );
        await log.record(
          sent({
            messageId: id("other-line"),
            providerMessageId: "z.1",
            connectionId: id("zapi"),
            sentAt: later(2),
          }),
        );
        await log.record(
          sent({
            messageId: id("other-person"),
            providerMessageId: "wamid.3",
            recipient: "5511888880000",
            sentAt: later(3),
          }),
        );
        await log.record(
          sent({
            messageId: id("other-buttons"),
            providerMessageId: "wamid.4",
            buttons: [{ id: "maybe", title: "Maybe" }],
            sentAt: later(4),
          }),
        );
        expect((await log.findLatestWithButton(id("wa"), "5511999990000", "yes"))?.messageId).toBe(
          id("new"),
        );
        expect(
          (await log.findLatestWithButton(id("wa"), "5511999990000", "maybe"))?.messageId,
        ).toBe(id("other-buttons"));
        expect((await log.findLatestWithButton(id("zapi"), "5511999990000", "no"))?.messageId).toBe(
          id("other-line"),
        );
        expect(await log.findLatestWithButton(id("wa"), "5511999990000", "nope")).toBeUndefined();
        expect(await log.findLatestWithButton(id("wa"), "5511999990000", "YES")).toBeUndefined();
        expect(await log.findLatestWithButton(id("meta"), "5511999990000", "yes")).toBeUndefined();
        expect(await log.findLatestWithButton(id("wa"), "5511777770000", "yes")).toBeUndefined();
      });

      it("matches a button in any position, by id and not by title", async () => {
        await log.record(
          sent({
            buttons: [
              { id: "a", title: "third" },
              { id: "b", title: "a" },
              { id: "third", title: "c" },
            ],
          }),
        );
        expect(
          (await log.findLatestWithButton(id("wa"), "5511999990000", "third"))?.messageId,
        ).toBe(id("msg-1"));
        expect(await log.findLatestWithButton(id("wa"), "5511999990000", "c")).toBeUndefined();
      });

      it("goes by when a message was sent, not by when it was recorded", async () => {
        await log.record(sent({ messageId: id("recent"), sentAt: later(5) }));
        await log.record(
          sent({ messageId: id("stale"), providerMessageId: "wamid.2", sentAt: AT }),
        );
        expect((await log.findLatestWithButton(id("wa"), "5511999990000", "yes"))?.messageId).toBe(
          id("recent"),
        );
      });

      it("takes, of two messages sent in the same millisecond, the one recorded last", async () => {
        await log.record(sent({ messageId: id("first") }));
        await log.record(sent({ messageId: id("second"), providerMessageId: "wamid.2" }));
        expect((await log.findLatestWithButton(id("wa"), "5511999990000", "yes"))?.messageId).toBe(
          id("second"),
        );
      });

      it("answers with the record as it is now: its status and replies", async () => {
        await log.record(sent());
        await log.applyStatus(id("wa"), "wamid.1", { status: "read", at: later(1) });
        await log.addReply(id("msg-1"), reply("tap-1"));
        expect(await log.findLatestWithButton(id("wa"), "5511999990000", "yes")).toEqual(
          await log.find(id("msg-1")),
        );
      });

      it.each([
        ["+55 11 99999-0000", "5511999990000"],
        ["5511999990000", "+55 (11) 99999-0000"],
        ["55.11.99999.0000", "+5511999990000"],
        ["123456", "12-34-56"],
        ["55\u00a011\t99999-0000", "5511999990000"],
        ["5511999990000@s.whatsapp.net", "5511999990000@s.whatsapp.net"],
        ["BR.1502576394655843", "BR.1502576394655843"],
        ["120363025246125486@g.us", "120363025246125486@g.us"],
      ])("takes a message sent to %j for a tap from %j", async (recipient, from) => {
        await log.record(sent({ recipient }));
        expect((await log.findLatestWithButton(id("wa"), from, "yes"))?.messageId).toBe(
          id("msg-1"),
        );
      });

      it.each([
        ["5511999990000", "5511999990001"],
        ["12345", "1-2345"],
        ["5511999990000x", "5511999990000"],
        ["x5511999990000", "5511999990000"],
        ["BR.1502576394655843", "1502576394655843"],
        ["5511999990000@s.whatsapp.net", "5511999990000"],
        ["abc", "ABC"],
        ["", " "],
      ])("does not take a message sent to %j for a tap from %j", async (recipient, from) => {
        await log.record(sent({ recipient }));
        expect(await log.findLatestWithButton(id("wa"), from, "yes")).toBeUndefined();
      });

      it("matches a recipient exactly when sameRecipient does", async () => {
        const digits = fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength: 13 });
        const separator = fc.constantFrom(
          ...["", "", "", " ", "\u00a0", "+", "-", "(", ")", ".", "/", "x", "@c.us"],
        );
        const written = (number: string) =>
          fc
            .array(separator, { minLength: number.length + 1, maxLength: number.length + 1 })
            .map((separators) =>
              [...number].reduce(
                (text, digit, index) => text + digit + separators[index + 1],
                separators[0] as string,
              ),
            );
        const pair = fc
          .tuple(digits, digits, fc.boolean())
          .chain(([number, other, same]) =>
            fc.tuple(written(number), written(same ? number : other)),
          );
        let run = 0;
        await fc.assert(
          fc.asyncProperty(pair, async ([recipient, from]) => {
            run += 1;
            const connectionId = id(`property-${run}`);
            await log.record(sent({ messageId: id(`property-${run}`), connectionId, recipient }));
            const found = await log.findLatestWithButton(connectionId, from, "yes");
            expect(found?.messageId).toBe(
              sameRecipient(recipient, from) ? id(`property-${run}`) : undefined,
            );
          }),
          { numRuns: 40 },
        );
      });
    });

    describe("statuses", () => {
      it("moves a status forward, sent to delivered to read, answering the record after each", async () => {
        await log.record(sent());
        for (const [index, status] of (["sent", "delivered", "read"] as const).entries()) {
          const after = await log.applyStatus(id("wa"), "wamid.1", {
            status,
            at: later(index + 1),
          });
          expect(after).toEqual({ ...sent(), replies: [], status, statusAt: later(index + 1) });
          expect(after?.statusAt).toBeInstanceOf(Date);
          expect(after?.error).toBeUndefined();
          expect(await log.find(id("msg-1"))).toEqual(after);
        }
      });

      it("keeps read when delivered arrives after it, answering the record unchanged", async () => {
        await log.record(sent());
        const read = await log.applyStatus(id("wa"), "wamid.1", { status: "read", at: later(2) });
        const late = await log.applyStatus(id("wa"), "wamid.1", {
          status: "delivered",
          at: later(1),
        });
        expect(late).toEqual(read);
        expect(late).toMatchObject({ status: "read", statusAt: later(2) });
        expect(await log.find(id("msg-1"))).toEqual(read);
      });

      it("ignores a status it already has, keeping the first time it was reported", async () => {
        await log.record(sent());
        const delivered = await log.applyStatus(id("wa"), "wamid.1", {
          status: "delivered",
          at: later(1),
        });
        expect(
          await log.applyStatus(id("wa"), "wamid.1", { status: "delivered", at: later(2) }),
        ).toEqual(delivered);
        expect(await log.find(id("msg-1"))).toMatchObject({
          status: "delivered",
          statusAt: later(1),
        });
      });

      it("records a failure with its error code and message, and keeps it failed after", async () => {
        await log.record(sent());
        await log.applyStatus(id("wa"), "wamid.1", { status: "sent", at: later(1) });
        const error = { code: "131026", message: "Message undeliverable — número inválido" };
        const failed = await log.applyStatus(id("wa"), "wamid.1", {
          status: "failed",
          at: later(2),
          error,
        });
        expect(failed).toEqual({
          ...sent(),
          replies: [],
          status: "failed",
          statusAt: later(2),
          error,
        });
        const readLate = await log.applyStatus(id("wa"), "wamid.1", {
          status: "read",
          at: later(3),
        });
        expect(readLate).toEqual(failed);
        expect(await log.find(id("msg-1"))).toEqual(failed);
      });

      it("records a failure without an error as a failure with none", async () => {
        await log.record(sent());
        const failed = await log.applyStatus(id("wa"), "wamid.1", {
          status: "failed",
          at: later(1),
        });
        expect(failed).toEqual({ ...sent(), replies: [], status: "failed", statusAt: later(1) });
        expect(failed?.error).toBeUndefined();
      });

      it("answers undefined for a message it does not have, on that connection", async () => {
        await log.record(sent());
        expect(
          await log.applyStatus(id("wa"), "wamid.9", { status: "read", at: later(1) }),
        ).toBeUndefined();
        expect(
          await log.applyStatus(id("zapi"), "wamid.1", { status: "read", at: later(1) }),
        ).toBeUndefined();
        expect(await log.find(id("msg-1"))).toEqual({ ...sent(), replies: [] });
      });

      it("ends, whatever order statuses arrive in, at the furthest one, timed by its first report", async () => {
        let run = 0;
        await fc.assert(
          fc.asyncProperty(
            fc.array(fc.constantFrom(...DELIVERY_STATES), { minLength: 1, maxLength: 8 }),
            async (statuses) => {
              run += 1;
              const message = sent({
                messageId: id(`property-${run}`),
                providerMessageId: `wamid.property-${run}`,
              });
              await log.record(message);
              let last: unknown;
              for (const [index, status] of statuses.entries()) {
                last = await log.applyStatus(id("wa"), message.providerMessageId, {
                  status,
                  at: later(index),
                  ...(status === "failed" ? { error: { code: `${index}`, message: "x" } } : {}),
                });
              }
              const furthest = statuses.reduce((a, b) => (STATUS_RANK[b] > STATUS_RANK[a] ? b : a));
              const first = statuses.indexOf(furthest);
              expect(last).toEqual({
                ...message,
                replies: [],
                status: furthest,
                statusAt: later(first),
                ...(furthest === "failed" ? { error: { code: `${first}`, message: "x" } } : {}),
              });
              expect(await log.find(message.messageId)).toEqual(last);
            },
          ),
          { numRuns: 30 },
        );
      });
    });

    describe("replies", () => {
      it("adds each tap once, by its provider event id, in the order they arrive", async () => {
        await log.record(sent());
        const first = reply("tap-1", { at: later(10) });
        const second = reply("tap-2", {
          buttonId: "no",
          buttonTitle: "Não ✓",
          from: "+55 11 99999-0000",
          at: later(5),
        });
        const third = reply("tap-3", { buttonTitle: undefined, at: later(7) });
        await log.addReply(id("msg-1"), first);
        await log.addReply(id("msg-1"), second);
        await log.addReply(id("msg-1"), { ...first, buttonId: "no", at: later(20) });
        await log.addReply(id("msg-1"), third);
        await log.addReply(id("msg-1"), second);
        const found = await log.find(id("msg-1"));
        expect(found?.replies).toEqual([first, second, third]);
        expect(found?.replies[0]?.at).toBeInstanceOf(Date);
        expect(found?.replies[2]?.buttonTitle).toBeUndefined();
      });

      it("keeps replies and status apart: one does not undo the other", async () => {
        await log.record(sent());
        await log.addReply(id("msg-1"), reply("tap-1"));
        await log.applyStatus(id("wa"), "wamid.1", { status: "read", at: later(1) });
        await log.addReply(id("msg-1"), reply("tap-2"));
        expect(await log.find(id("msg-1"))).toEqual({
          ...sent(),
          status: "read",
          statusAt: later(1),
          replies: [reply("tap-1"), reply("tap-2")],
        });
        expect(await log.findByProviderMessageId(id("wa"), "wamid.1")).toEqual(
          await log.find(id("msg-1")),
        );
      });

      it("ignores a tap on a message it does not have", async () => {
        await log.record(sent());
        await log.addReply(id("msg-9"), reply("tap-1"));
        expect(await log.find(id("msg-9"))).toBeUndefined();
        expect((await log.find(id("msg-1")))?.replies).toEqual([]);
      });
    });
  });
}
