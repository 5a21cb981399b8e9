import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  FAST_DELIVERY,
  FAULTS,
  type FaultHarness,
  type FaultKind,
  newMarker,
  type Provider,
  REFUSED_CONVERSATION,
  SLOW_ANSWER_MS,
  startFaultHarness,
} from "./faults-support.js";

// Issue 7: every fault mode through the composed app, a real undici transport and the
// provider simulators, counting how many times each message was processed (delivered).

const PROVIDERS: readonly Provider[] = ["whatsapp", "zapi", "zapper"];

/** Faults after which the message may have been delivered, and how often it actually was. */
const UNKNOWN_OUTCOME: readonly (readonly [FaultKind, number])[] = [
  ["slowAnswer", 1],
  ["resetAfterRead", 1],
  ["resetBeforeRead", 0],
  ["serverError500", 1],
  ["serverError500NothingSent", 0],
  ["badGateway502", 1],
  ["unavailable503", 0],
  ["unexpected2xx", 1],
];

/**
 * Faults that prove nothing was processed: retried by default. Meta's rate-limit codes on
 * WhatsApp only; a 503 in Meta's own envelope carries code 2, "may have been sent", so on
 * WhatsApp only a load balancer's 503 with Retry-After says nothing was processed.
 */
const retryableOn = (provider: Provider): readonly FaultKind[] =>
  provider === "whatsapp"
    ? [
        "loadBalancer503RetryAfter",
        "tooManyRequests429",
        "meta130429",
        "meta131056",
        "meta4",
        "meta80007",
      ]
    : ["unavailable503RetryAfter", "loadBalancer503RetryAfter", "tooManyRequests429"];

const ATTEMPTS = FAST_DELIVERY.maxRetries + 1;

describe("default policy: at most one delivery per message", () => {
  let h: FaultHarness;
  beforeAll(async () => {
    h = await startFaultHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.simulators.reset());

  describe.each(PROVIDERS)("through %s", (provider) => {
    it.each(UNKNOWN_OUTCOME)(
      "%s: one request, no retry, and a 500 that says delivery is unknown",
      async (fault, delivered) => {
        h.provider(provider).failNext(FAULTS[fault]);
        const marker = newMarker(fault);
        const answer = await h.send(marker, { provider });
        expect(answer.status).toBe(500);
        expect(answer.body.error).toMatchObject({
          code: "provider_unavailable",
          deliveryUnknown: true,
        });
        expect(h.requests()).toBe(1);
        expect(h.deliveries(marker)).toBe(delivered);
        expect(h.failedAttempts(answer.body.error?.requestId)).toBe(1);
      },
    );

    it.each(retryableOn(provider))(
      "%s: retried, and 200 once the provider recovers, delivered once",
      async (fault) => {
        h.provider(provider).failNext(FAULTS[fault]);
        const marker = newMarker(fault);
        const answer = await h.send(marker, { provider });
        expect(answer.status).toBe(200);
        expect(h.requests()).toBe(2);
        expect(h.deliveries(marker)).toBe(1);
      },
    );

    it.each(retryableOn(provider))(
      "%s on every attempt: retried maxRetries times, then a 500 that says nothing was delivered",
      async (fault) => {
        h.provider(provider).failNext({ ...FAULTS[fault], times: ATTEMPTS });
        const marker = newMarker(fault);
        const answer = await h.send(marker, { provider });
        expect(answer.status).toBe(500);
        expect(answer.body.error).toMatchObject({ code: "provider_unavailable", retryable: true });
        expect(answer.body.error?.deliveryUnknown).toBeUndefined();
        expect(h.requests()).toBe(ATTEMPTS);
        expect(h.deliveries(marker)).toBe(0);
      },
    );
  });

  it("does not send again when the slow provider's late answer finally comes", async () => {
    h.provider("whatsapp").failNext(FAULTS.slowAnswer);
    const marker = newMarker("late");
    const started = performance.now();
    const answer = await h.send(marker);
    expect(performance.now() - started).toBeLessThan(SLOW_ANSWER_MS);
    expect(answer.body.error?.deliveryUnknown).toBe(true);
    await sleep(SLOW_ANSWER_MS);
    expect(h.requests()).toBe(1);
    expect(h.deliveries(marker)).toBe(1);
  });

  it("retries a refused connection, which sent nothing, and says so", async () => {
    const marker = newMarker("refused");
    const answer = await h.send(marker, { conversationId: REFUSED_CONVERSATION });
    expect(answer.status).toBe(500);
    expect(answer.body.error).toMatchObject({ code: "provider_unavailable", retryable: true });
    expect(answer.body.error?.deliveryUnknown).toBeUndefined();
    expect(h.failedAttempts(answer.body.error?.requestId)).toBe(ATTEMPTS);
  });

  it("30 % random 500s over 200 messages: no message twice, every 200 delivered once, every 500 unknown", async () => {
    const whatsapp = h.provider("whatsapp");
    whatsapp.failNext({ ...FAULTS.serverError500, times: 200, failRate: 0.3, seed: 7 });
    const outcomes: { marker: string; status: number; unknown: boolean | undefined }[] = [];
    for (let index = 0; index < 200; index += 1) {
      const marker = newMarker("random");
      const answer = await h.send(marker);
      outcomes.push({ marker, status: answer.status, unknown: answer.body.error?.deliveryUnknown });
    }
    const failed = outcomes.filter((outcome) => outcome.status !== 200);
    expect(failed.length).toBeGreaterThan(30);
    expect(failed.length).toBeLessThan(90);
    expect(whatsapp.counts().received).toBe(200);
    for (const outcome of outcomes) {
      expect(h.deliveries(outcome.marker), outcome.marker).toBe(1);
      if (outcome.status !== 200) {
        expect(outcome).toMatchObject({ status: 500, unknown: true });
      }
    }
  });

  describe("the same Idempotency-Key sent again after a fault", () => {
    it.each(UNKNOWN_OUTCOME.map(([fault]) => fault))(
      "%s: 409 idempotency_outcome_unknown, never a second request",
      async (fault) => {
        h.provider("whatsapp").failNext(FAULTS[fault]);
        const marker = newMarker(`key-${fault}`);
        const key = `key-${marker}`;
        const first = await h.send(marker, { idempotencyKey: key });
        expect(first.body.error?.deliveryUnknown).toBe(true);
        for (let repeat = 0; repeat < 2; repeat += 1) {
          const again = await h.send(marker, { idempotencyKey: key });
          expect(again.status).toBe(409);
          expect(again.body.error?.code).toBe("idempotency_outcome_unknown");
        }
        expect(h.requests()).toBe(1);
        expect(h.deliveries(marker)).toBeLessThanOrEqual(1);
      },
    );

    it.each(retryableOn("whatsapp"))(
      "%s until retries ran out: the key is free again, the next try delivers once, then replays",
      async (fault) => {
        h.provider("whatsapp").failNext({ ...FAULTS[fault], times: ATTEMPTS });
        const marker = newMarker(`key-${fault}`);
        const key = `key-${marker}`;
        const first = await h.send(marker, { idempotencyKey: key });
        expect(first.status).toBe(500);
        expect(first.body.error?.deliveryUnknown).toBeUndefined();

        const second = await h.send(marker, { idempotencyKey: key });
        expect(second.status).toBe(200);
        const third = await h.send(marker, { idempotencyKey: key });
        expect(third.status).toBe(200);
        expect(third.body.messageId).toBe(second.body.messageId);
        expect(h.requests()).toBe(ATTEMPTS + 1);
        expect(h.deliveries(marker)).toBe(1);
      },
    );

    it("after a retried rate limit that succeeded: replays the 200, no second request", async () => {
      h.provider("whatsapp").failNext(FAULTS.meta130429);
      const marker = newMarker("key-replay");
      const key = `key-${marker}`;
      const first = await h.send(marker, { idempotencyKey: key });
      const again = await h.send(marker, { idempotencyKey: key });
      expect([first.status, again.status]).toEqual([200, 200]);
      expect(again.body.messageId).toBe(first.body.messageId);
      expect(h.requests()).toBe(2);
      expect(h.deliveries(marker)).toBe(1);
    });

    it("after a refused connection: the key is free again, not locked as unknown", async () => {
      const marker = newMarker("key-refused");
      const key = `key-${marker}`;
      const options = { conversationId: REFUSED_CONVERSATION, idempotencyKey: key };
      const first = await h.send(marker, options);
      const again = await h.send(marker, options);
      for (const answer of [first, again]) {
        expect(answer.status).toBe(500);
        expect(answer.body.error?.code).toBe("provider_unavailable");
        expect(answer.body.error?.deliveryUnknown).toBeUndefined();
      }
      expect(h.failedAttempts(again.body.error?.requestId)).toBe(ATTEMPTS);
    });
  });
});

describe("opt-in policy (retryWhenDeliveryUnknown: true): retries, and the duplicates they cost", () => {
  let h: FaultHarness;
  beforeAll(async () => {
    h = await startFaultHarness({ ...FAST_DELIVERY, retryWhenDeliveryUnknown: true });
  });
  afterAll(() => h.close());
  beforeEach(() => h.simulators.reset());

  /** Each retried once, then answered 200: delivered twice when the failed attempt was processed. */
  const RETRIED: readonly (readonly [FaultKind, number])[] = [
    ["slowAnswer", 2],
    ["resetAfterRead", 2],
    ["serverError500", 2],
    ["badGateway502", 2],
    ["resetBeforeRead", 1],
    ["serverError500NothingSent", 1],
    ["unavailable503", 1],
  ];

  it.each(RETRIED)(
    "%s: retried and answered 200, delivered %i time(s)",
    async (fault, delivered) => {
      h.provider("whatsapp").failNext(FAULTS[fault]);
      const marker = newMarker(`opt-${fault}`);
      const answer = await h.send(marker);
      expect(answer.status).toBe(200);
      expect(h.requests()).toBe(2);
      expect(h.deliveries(marker)).toBe(delivered);
    },
  );

  it("unexpected2xx: still not retried, the provider most likely sent it", async () => {
    h.provider("whatsapp").failNext(FAULTS.unexpected2xx);
    const marker = newMarker("opt-2xx");
    const answer = await h.send(marker);
    expect(answer.status).toBe(500);
    expect(answer.body.error?.deliveryUnknown).toBe(true);
    expect(h.requests()).toBe(1);
    expect(h.deliveries(marker)).toBe(1);
  });

  it("30 % random 500s over 200 messages: every 200 delivered, some messages twice (counted)", async () => {
    const whatsapp = h.provider("whatsapp");
    whatsapp.failNext({ ...FAULTS.serverError500, times: 200, failRate: 0.3, seed: 7 });
    let duplicated = 0;
    for (let index = 0; index < 200; index += 1) {
      const marker = newMarker("opt-random");
      const answer = await h.send(marker);
      const delivered = h.deliveries(marker);
      expect(delivered).toBe(h.requestsFor(marker));
      expect(delivered).toBeLessThanOrEqual(ATTEMPTS);
      if (answer.status === 200) expect(delivered).toBeGreaterThanOrEqual(1);
      else expect(answer.body.error?.deliveryUnknown).toBe(true);
      if (delivered > 1) duplicated += 1;
    }
    // About 30 % of the first attempts fail after delivering, and each is sent again.
    expect(duplicated).toBeGreaterThan(30);
    expect(duplicated).toBeLessThan(90);
  });

  it("a repeated Idempotency-Key after a retried slow answer replays the 200: no third delivery", async () => {
    h.provider("whatsapp").failNext(FAULTS.slowAnswer);
    const marker = newMarker("opt-key");
    const key = `key-${marker}`;
    const first = await h.send(marker, { idempotencyKey: key });
    const again = await h.send(marker, { idempotencyKey: key });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body.messageId).toBe(first.body.messageId);
    expect(h.deliveries(marker)).toBe(2);
  });

  it("a repeated Idempotency-Key after retries that all failed unknown: 409, nothing more sent", async () => {
    h.provider("whatsapp").failNext({ ...FAULTS.serverError500, times: ATTEMPTS });
    const marker = newMarker("opt-key-unknown");
    const key = `key-${marker}`;
    const first = await h.send(marker, { idempotencyKey: key });
    expect(first.body.error?.deliveryUnknown).toBe(true);
    const again = await h.send(marker, { idempotencyKey: key });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe("idempotency_outcome_unknown");
    expect(h.requests()).toBe(ATTEMPTS);
    expect(h.deliveries(marker)).toBe(ATTEMPTS);
  });
});
