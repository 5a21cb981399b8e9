import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { InboundEvent } from "@replykit/core";
import { RecordingLogger } from "@replykit/core/testing";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import {
  createWebhookForwarder,
  ForwarderClosedError,
  importSigningKey,
  OutboxFullError,
  signWebhook,
  type WebhookForwarder,
  type WebhookForwarderOptions,
  webhookSigningKey,
} from "../src/forwarding/index.js";

// ---------------------------------------------------------------------------------------
// An independent implementation of the Standard Webhooks verification (node:crypto, written
// from the specification, sharing nothing with the forwarder): the secret's `whsec_` part is
// base64 of the key (a secret without it is taken as raw bytes, as `{ format: "raw" }` does in
// the reference libraries), the signed content is `${id}.${timestamp}.${body}`, and the header
// holds space-separated `v1,<base64 HMAC-SHA256>` entries, any of which may match.
// ---------------------------------------------------------------------------------------

function specKey(secret: string): Buffer {
  return secret.startsWith("whsec_")
    ? Buffer.from(secret.slice("whsec_".length), "base64")
    : Buffer.from(secret, "utf8");
}

const TOLERANCE_SECONDS = 5 * 60;

function verifyStandardWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!/^\d+$/.test(headers.timestamp)) return false;
  if (Math.abs(nowSeconds - timestamp) > TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", specKey(secret))
    .update(`${headers.id}.${headers.timestamp}.${body}`, "utf8")
    .digest();
  return headers.signature.split(" ").some((entry) => {
    const [version, encoded] = entry.split(",", 2);
    if (version !== "v1" || encoded === undefined) return false;
    const given = Buffer.from(encoded, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

const WHSEC = `whsec_${randomBytes(32).toString("base64")}`;

// ---------------------------------------------------------------------------------------
// A real local receiver, answering each request as the test scripts it.
// ---------------------------------------------------------------------------------------

interface Received {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly at: number;
}

type Answer = number | "hang" | "destroy" | { status: number; headers: Record<string, string> };

interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Answers of the next requests, in order; afterwards 200. */
  script(...answers: Answer[]): void;
  /** Resolves when `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Answers every request left hanging with 200. */
  releaseHanging(): void;
  close(): Promise<void>;
}

const opened: { close(): Promise<void> }[] = [];

async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const answers: Answer[] = [];
  const hanging: ServerResponse[] = [];
  let waiters: (() => void)[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      });
      for (const wake of waiters) wake();
      waiters = [];
      const answer = answers.shift() ?? 200;
      if (answer === "hang") {
        hanging.push(res);
        return;
      }
      if (answer === "destroy") {
        req.socket.destroy();
        return;
      }
      const { status, headers } =
        typeof answer === "number" ? { status: answer, headers: {} } : answer;
      res.writeHead(status, { "content-type": "text/plain", ...headers });
      res.end(`answer ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}/hooks/replykit`,
    received,
    script: (...next) => answers.push(...next),
    async waitFor(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} requests, got ${received.length}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    releaseHanging() {
      for (const res of hanging.splice(0)) {
        if (!res.destroyed) res.end();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        receiver.releaseHanging();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  opened.push(receiver);
  return receiver;
}

function forwarder(options: WebhookForwarderOptions): WebhookForwarder {
  const created = createWebhookForwarder(options);
  opened.push(created);
  return created;
}

afterEach(async () => {
  // Forwarders first (their attempts end), then the receivers.
  const all = opened.splice(0).reverse();
  for (const item of all) await item.close();
});

const header = (request: Received | undefined, name: string): string => {
  const value = request?.headers[name];
  if (typeof value !== "string") throw new Error(`no ${name} header`);
  return value;
};

const verifies = (request: Received | undefined, secret = WHSEC): boolean =>
  verifyStandardWebhook(
    secret,
    {
      id: header(request, "webhook-id"),
      timestamp: header(request, "webhook-timestamp"),
      signature: header(request, "webhook-signature"),
    },
    request?.body ?? "",
  );

// ---------------------------------------------------------------------------------------
// Events.
// ---------------------------------------------------------------------------------------

const tap = (providerEventId = "wamid.tap-1", connectionId = "meta-main"): InboundEvent => ({
  kind: "button_reply",
  connectionId,
  provider: "whatsapp",
  providerEventId,
  from: "5511999999999",
  buttonId: "yes",
  buttonTitle: "Yes",
  replyTo: {
    providerMessageId: "wamid.sent-1",
    messageId: "msg-1",
    conversationId: "conv-1",
    matchedBy: "provider_message_id",
  },
  receivedAt: new Date("2026-03-01T12:00:00.000Z"),
});

const status: InboundEvent = {
  kind: "delivery_status",
  connectionId: "zapi-main",
  provider: "zapi",
  providerEventId: "ABC:read",
  providerMessageId: "ABC",
  messageId: "msg-2",
  status: "read",
  at: new Date("2026-03-01T12:01:00.000Z"),
};

const ignored: InboundEvent = {
  kind: "ignored",
  connectionId: "zapper-main",
  provider: "zapper",
  reason: "own message echoed",
};

const fast = {
  secret: WHSEC,
  initialBackoffMs: 10,
  maxBackoffMs: 40,
  attemptTimeoutMs: 2_000,
} as const;

// ---------------------------------------------------------------------------------------

describe("createWebhookForwarder: delivery", () => {
  it("POSTs each event as JSON with its type, ISO dates and a signature the spec verifies", async () => {
    const receiver = await startReceiver();
    const logger = new RecordingLogger();
    const sut = forwarder({ ...fast, url: receiver.url, logger });

    await sut.handle([tap(), status, ignored]);
    await sut.idle();

    expect(receiver.received).toHaveLength(3);
    for (const request of receiver.received) {
      expect(request.headers["content-type"]).toBe("application/json");
      expect(header(request, "webhook-id")).toMatch(/^msg_[A-Za-z0-9_-]+$/);
      const timestamp = Number(header(request, "webhook-timestamp"));
      expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(5);
      expect(verifies(request)).toBe(true);
      // Another secret does not verify it: the check above can fail.
      expect(verifies(request, `whsec_${randomBytes(32).toString("base64")}`)).toBe(false);
    }
    const bodies = receiver.received.map((request) => JSON.parse(request.body) as unknown);
    expect(bodies).toContainEqual({
      type: "message.button_reply",
      timestamp: "2026-03-01T12:00:00.000Z",
      data: {
        kind: "button_reply",
        connectionId: "meta-main",
        provider: "whatsapp",
        providerEventId: "wamid.tap-1",
        from: "5511999999999",
        buttonId: "yes",
        buttonTitle: "Yes",
        replyTo: {
          providerMessageId: "wamid.sent-1",
          messageId: "msg-1",
          conversationId: "conv-1",
          matchedBy: "provider_message_id",
        },
        receivedAt: "2026-03-01T12:00:00.000Z",
      },
    });
    expect(bodies).toContainEqual({
      type: "message.status",
      timestamp: "2026-03-01T12:01:00.000Z",
      data: { ...status, at: "2026-03-01T12:01:00.000Z" },
    });
    expect(bodies).toContainEqual({
      type: "webhook.ignored",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      data: ignored,
    });
    expect(sut.pending).toBe(0);
    expect(logger.events().filter((event) => event === "forwarding.delivered")).toHaveLength(3);
  });

  it("takes a raw secret (no whsec_ prefix) as its UTF-8 bytes", async () => {
    const receiver = await startReceiver();
    const raw = "a raw shared secret, not base64 ✓";
    const sut = forwarder({
      ...fast,
      secret: raw,
      url: receiver.url,
      logger: new RecordingLogger(),
    });

    await sut.handle([tap()]);
    await sut.idle();

    expect(verifies(receiver.received[0], raw)).toBe(true);
    expect(verifies(receiver.received[0], `whsec_${btoa("other")}`)).toBe(false);
  });

  it("signs with every secret while one is rotated", async () => {
    const receiver = await startReceiver();
    const next = `whsec_${randomBytes(24).toString("base64")}`;
    const sut = forwarder({
      ...fast,
      secret: [WHSEC, next],
      url: receiver.url,
      logger: new RecordingLogger(),
    });

    await sut.handle([tap()]);
    await sut.idle();

    expect(header(receiver.received[0], "webhook-signature").split(" ")).toHaveLength(2);
    expect(verifies(receiver.received[0], WHSEC)).toBe(true);
    expect(verifies(receiver.received[0], next)).toBe(true);
  });

  it("derives webhook-id from the connection and the provider's event id", async () => {
    const receiver = await startReceiver();
    const logger = new RecordingLogger();
    const first = forwarder({ ...fast, url: receiver.url, logger });
    const second = forwarder({ ...fast, url: receiver.url, logger });

    await first.handle([tap("wamid.A"), ignored, tap("wamid.B"), tap("wamid.A", "other-conn")]);
    await first.idle();
    // Another process (a restart) forwarding the same provider event: the same id.
    await second.handle([tap("wamid.A"), ignored]);
    await second.idle();

    expect(receiver.received).toHaveLength(6);
    const ids = receiver.received.map((request) => ({
      id: header(request, "webhook-id"),
      data: (JSON.parse(request.body) as { data: InboundEvent }).data,
    }));
    const find = (connectionId: string, providerEventId: string | undefined) =>
      ids.filter(
        (entry) =>
          entry.data.connectionId === connectionId &&
          entry.data.providerEventId === providerEventId,
      );
    const sameTap = find("meta-main", "wamid.A");
    expect(sameTap).toHaveLength(2);
    expect(sameTap[0]?.id).toBe(sameTap[1]?.id);
    expect(find("meta-main", "wamid.B")[0]?.id).not.toBe(sameTap[0]?.id);
    expect(find("other-conn", "wamid.A")[0]?.id).not.toBe(sameTap[0]?.id);
    // Without a provider id, every event gets its own.
    const anonymous = find("zapper-main", undefined);
    expect(anonymous).toHaveLength(2);
    expect(anonymous[0]?.id).not.toBe(anonymous[1]?.id);
  });
});

describe("createWebhookForwarder: retries", () => {
  it("retries after a 500 with the same webhook-id and body, then succeeds", async () => {
    const receiver = await startReceiver();
    receiver.script(500, 503);
    const logger = new RecordingLogger();
    const sut = forwarder({ ...fast, url: receiver.url, logger });

    await sut.handle([tap()]);
    await sut.idle();

    expect(receiver.received).toHaveLength(3);
    const ids = receiver.received.map((request) => header(request, "webhook-id"));
    expect(new Set(ids).size).toBe(1);
    expect(new Set(receiver.received.map((request) => request.body)).size).toBe(1);
    for (const request of receiver.received) expect(verifies(request)).toBe(true);
    // Backoff: the retries were not immediate.
    const [a, b, c] = receiver.received.map((request) => request.at);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(4);
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(9);
    expect(logger.events()).toEqual([
      "forwarding.retry_scheduled",
      "forwarding.retry_scheduled",
      "forwarding.delivered",
    ]);
    expect(logger.entries[0]?.fields).toMatchObject({ status: 500, attempts: 1 });
    expect(sut.pending).toBe(0);
  });

  it("retries 408, 429 (after its Retry-After), a dropped connection and a timeout", async () => {
    const receiver = await startReceiver();
    receiver.script(408, { status: 429, headers: { "retry-after": "0" } }, "destroy", "hang", 201);
    const logger = new RecordingLogger();
    const sut = forwarder({
      ...fast,
      attemptTimeoutMs: 300,
      url: receiver.url,
      logger,
    });

    await sut.handle([tap()]);
    await sut.idle();

    expect(receiver.received).toHaveLength(5);
    expect(new Set(receiver.received.map((request) => header(request, "webhook-id"))).size).toBe(1);
    const retries = logger.entries.filter((entry) => entry.event === "forwarding.retry_scheduled");
    expect(retries.map((entry) => entry.fields.status ?? entry.fields.error)).toEqual([
      408,
      429,
      expect.stringMatching(/^TypeError/),
      "TimeoutError",
    ]);
    expect(logger.events().at(-1)).toBe("forwarding.delivered");
  });

  it("gives up after a 400 at once, and logs it without the secret", async () => {
    const receiver = await startReceiver();
    receiver.script(400);
    const logger = new RecordingLogger();
    const sut = forwarder({ ...fast, url: `${receiver.url}?token=s3cr3t-in-url`, logger });

    await sut.handle([tap()]);
    await sut.idle();
    // Nothing else comes.
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(receiver.received).toHaveLength(1);
    const gaveUp = logger.entries.find((entry) => entry.event === "forwarding.gave_up");
    expect(gaveUp?.level).toBe("error");
    expect(gaveUp?.fields).toMatchObject({
      reason: "refused",
      status: 400,
      attempts: 1,
      type: "message.button_reply",
      connectionId: "meta-main",
      webhookId: header(receiver.received[0], "webhook-id"),
    });
    const logged = JSON.stringify(logger.entries);
    expect(logged).not.toContain(WHSEC.slice("whsec_".length));
    expect(logged).not.toContain("s3cr3t-in-url");
    expect(logged).not.toContain("/hooks/replykit");
    expect(sut.pending).toBe(0);
  });

  it("gives up after maxAttempts failures and logs it", async () => {
    const receiver = await startReceiver();
    receiver.script(500, 502, 503, 504, 200);
    const logger = new RecordingLogger();
    const sut = forwarder({ ...fast, maxAttempts: 3, url: receiver.url, logger });

    await sut.handle([tap()]);
    await sut.idle();
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(receiver.received).toHaveLength(3);
    expect(logger.entries.at(-1)).toMatchObject({
      level: "error",
      event: "forwarding.gave_up",
      fields: { reason: "attempts_exhausted", status: 503, attempts: 3 },
    });
  });
});

describe("createWebhookForwarder: backpressure and close", () => {
  it("answers at once, and rejects a batch that does not fit (none of it queued)", async () => {
    const receiver = await startReceiver();
    // The first attempt hangs, so that nothing leaves the outbox until it is released.
    receiver.script("hang");
    const logger = new RecordingLogger();
    const sut = forwarder({ ...fast, maxPending: 3, concurrency: 1, url: receiver.url, logger });

    await sut.handle([tap("a")]);
    await sut.handle([tap("b")]);
    expect(sut.pending).toBe(2);
    // Two more do not fit in 3: refused whole.
    const refused = sut.handle([tap("c"), tap("d")]);
    await expect(refused).rejects.toBeInstanceOf(OutboxFullError);
    await expect(refused).rejects.toMatchObject({ pending: 2, maxPending: 3, refused: 2 });
    expect(sut.pending).toBe(2);
    await sut.handle([tap("c")]);
    expect(sut.pending).toBe(3);
    await expect(sut.handle([tap("e")])).rejects.toBeInstanceOf(OutboxFullError);
    expect(logger.events()).toContain("forwarding.outbox_full");

    // The receiver recovers: the outbox drains and takes events again.
    await receiver.waitFor(1);
    receiver.releaseHanging();
    await sut.idle();
    expect(sut.pending).toBe(0);
    await sut.handle([tap("f")]);
    await sut.idle();
    const delivered = receiver.received.map(
      (request) => (JSON.parse(request.body) as { data: InboundEvent }).data.providerEventId,
    );
    expect(new Set(delivered)).toEqual(new Set(["a", "b", "c", "f"]));
  });

  it("close() lets the attempt under way finish, starts no other and refuses new events", async () => {
    const receiver = await startReceiver();
    receiver.script("hang");
    const logger = new RecordingLogger();
    const sut = forwarder({ ...fast, concurrency: 1, url: receiver.url, logger });

    await sut.handle([tap("a"), tap("b")]);
    await receiver.waitFor(1);
    let closed = false;
    const closing = sut.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    receiver.releaseHanging();
    await closing;

    expect(receiver.received).toHaveLength(1);
    await expect(sut.handle([tap("c")])).rejects.toBeInstanceOf(ForwarderClosedError);
    expect(logger.entries.at(-1)).toMatchObject({
      event: "forwarding.closed_with_pending",
      fields: { dropped: 1 },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toHaveLength(1);
  });

  it("refuses a malformed whsec_ secret and bad options at creation", () => {
    expect(() => createWebhookForwarder({ url: "http://x.invalid", secret: "whsec_%%%" })).toThrow(
      RangeError,
    );
    expect(() => createWebhookForwarder({ url: "http://x.invalid", secret: "" })).toThrow(
      RangeError,
    );
    expect(() => createWebhookForwarder({ url: "http://x.invalid", secret: [] })).toThrow(
      RangeError,
    );
    expect(() =>
      createWebhookForwarder({ url: "http://x.invalid", secret: WHSEC, maxPending: 0 }),
    ).toThrow(RangeError);
    try {
      createWebhookForwarder({ url: "http://x.invalid", secret: "whsec_not*base64" });
    } catch (error) {
      expect(String(error)).not.toContain("not*base64");
    }
  });
});

describe("signWebhook", () => {
  it("any change to the body, the id or the timestamp breaks the signature (property)", async () => {
    const key = await importSigningKey(webhookSigningKey(WHSEC));
    const now = Math.floor(Date.now() / 1000);
    const content = fc.record({
      id: fc.string({ minLength: 1, maxLength: 40 }).filter((id) => !/[\r\n]/.test(id)),
      timestamp: fc.integer({ min: now - 60, max: now + 60 }),
      body: fc.string({ maxLength: 200, unit: "grapheme" }),
    });
    const change = fc.oneof(
      fc.record({ field: fc.constant("id" as const), value: fc.string({ maxLength: 40 }) }),
      fc.record({
        field: fc.constant("timestamp" as const),
        value: fc.integer({ min: now - 60, max: now + 60 }),
      }),
      fc.record({
        field: fc.constant("body" as const),
        value: fc.string({ maxLength: 200, unit: "grapheme" }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(content, change, async (signed, altered) => {
        const signature = await signWebhook([key], signed);
        const headers = { id: signed.id, timestamp: String(signed.timestamp), signature };
        expect(verifyStandardWebhook(WHSEC, headers, signed.body, now)).toBe(true);

        const tampered = { ...headers, body: signed.body, [altered.field]: String(altered.value) };
        const changed =
          tampered.id !== headers.id ||
          tampered.timestamp !== headers.timestamp ||
          tampered.body !== signed.body;
        fc.pre(changed);
        expect(
          verifyStandardWebhook(
            WHSEC,
            { id: tampered.id, timestamp: tampered.timestamp, signature },
            tampered.body,
            now,
          ),
        ).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe("forwarding sources", () => {
  it("are edge-safe: no node: import, no Buffer, no process", async () => {
    const folder = join(import.meta.dirname, "../src/forwarding");
    const files = (await readdir(folder)).filter((name) => name.endsWith(".ts"));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const name of files) {
      const code = (await readFile(join(folder, name), "utf8"))
        .replace(/\/\*[\s\S]*?\*\//g, "")
        .replace(/\/\/.*$/gm, "");
      expect(code, name).not.toMatch(/from\s+["']node:|import\(\s*["']node:/);
      expect(code, name).not.toMatch(/\bBuffer\b|\bprocess\./);
    }
  });
});
