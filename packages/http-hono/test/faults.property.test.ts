import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FAULTS,
  type FaultHarness,
  type FaultKind,
  type Provider,
  type SendAnswer,
  startFaultHarness,
} from "./faults-support.js";

// Issue 7: random fault sequences fed to the simulators in order, with random reuse of a few
// Idempotency-Keys, under the default (at-most-once) policy. A model of each key says what
// the server must answer; the simulators count deliveries.

const MAX_RETRIES = 2;
const PROVIDERS: readonly Provider[] = ["whatsapp", "zapi", "zapper"];
const COMMON: readonly FaultKind[] = [
  "slowAnswer",
  "resetAfterRead",
  "resetBeforeRead",
  "serverError500",
  "serverError500NothingSent",
  "badGateway502",
  "unavailable503",
  "loadBalancer503RetryAfter",
  "tooManyRequests429",
  "unexpected2xx",
];
const faultsFor = (provider: Provider): readonly FaultKind[] =>
  provider === "whatsapp"
    ? [...COMMON, "meta130429", "meta131056", "meta4", "meta80007"]
    : [...COMMON, "unavailable503RetryAfter"];

interface PlannedSend {
  readonly provider: Provider;
  /** One of a few keys, so that keys are reused; `null`: no Idempotency-Key. */
  readonly key: number | null;
  /** Queued on the provider's simulator before the send, in order. */
  readonly faults: readonly FaultKind[];
}

const plannedSend: fc.Arbitrary<PlannedSend> = fc.constantFrom(...PROVIDERS).chain((provider) =>
  fc.record({
    provider: fc.constant(provider),
    key: fc.option(fc.nat(2), { nil: null, freq: 3 }),
    faults: fc.array(fc.constantFrom(...faultsFor(provider)), { maxLength: 3 }),
  }),
);

/** What the server has recorded for a key, as far as the answers told. */
type KeyState =
  | { readonly state: "sent"; readonly provider: Provider; readonly messageId: string | undefined }
  | { readonly state: "unknown"; readonly provider: Provider };

describe("random fault sequences under the default policy", () => {
  let h: FaultHarness;
  beforeAll(async () => {
    // A shorter attempt timeout than the example tests: slow answers are frequent here.
    h = await startFaultHarness({
      attemptTimeoutMs: 150,
      maxRetries: MAX_RETRIES,
      initialBackoffMs: 1,
      maxBackoffMs: 50,
    });
  });
  afterAll(() => h.close());

  let runs = 0;

  it("delivers each message at most once per Idempotency-Key, and every answer tells the truth", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(plannedSend, { minLength: 1, maxLength: 6 }), async (plan) => {
        runs += 1;
        h.simulators.reset();
        const keys = new Map<number, KeyState>();
        const markerOf = (send: PlannedSend, index: number) =>
          send.key === null ? `[run-${runs}-send-${index}]` : `[run-${runs}-key-${send.key}]`;

        for (const [index, send] of plan.entries()) {
          for (const fault of send.faults) h.provider(send.provider).failNext(FAULTS[fault]);
          const marker = markerOf(send, index);
          const requestsBefore = h.requests();
          const deliveredBefore = h.deliveries(marker);
          const answer: SendAnswer = await h.send(marker, {
            provider: send.provider,
            ...(send.key === null ? {} : { idempotencyKey: `run-${runs}-key-${send.key}` }),
          });
          const newRequests = h.requests() - requestsBefore;
          const delivered = h.deliveries(marker);
          const context = JSON.stringify({ plan, index, answer: answer.body });

          // At most once, whatever the faults: per key across all its sends, per keyless send.
          expect(delivered, context).toBeLessThanOrEqual(1);

          const known = send.key === null ? undefined : keys.get(send.key);
          if (known !== undefined && known.provider !== send.provider) {
            // Same key, another conversation: a different request, refused without sending.
            expect(answer.status, context).toBe(422);
            expect(newRequests, context).toBe(0);
            continue;
          }
          if (known?.state === "sent") {
            expect(answer.status, context).toBe(200);
            expect(answer.body.messageId, context).toBe(known.messageId);
            expect(newRequests, context).toBe(0);
            continue;
          }
          if (known?.state === "unknown") {
            expect(answer.status, context).toBe(409);
            expect(answer.body.error?.code, context).toBe("idempotency_outcome_unknown");
            expect(newRequests, context).toBe(0);
            continue;
          }

          // A fresh send (or a key released after a failure that sent nothing).
          expect(newRequests, context).toBeGreaterThanOrEqual(1);
          expect(newRequests, context).toBeLessThanOrEqual(MAX_RETRIES + 1);
          if (answer.status === 200) {
            expect(delivered, context).toBe(1);
            if (send.key !== null) {
              keys.set(send.key, {
                state: "sent",
                provider: send.provider,
                messageId: answer.body.messageId,
              });
            }
          } else if (answer.body.error?.deliveryUnknown === true) {
            // Retries stop at the first failure that may have delivered: it was the last attempt.
            expect(answer.status, context).toBe(500);
            expect(newRequests, context).toBeLessThanOrEqual(MAX_RETRIES + 1);
            if (send.key !== null)
              keys.set(send.key, { state: "unknown", provider: send.provider });
          } else {
            // Said not delivered: then it was not.
            expect(answer.status, context).toBe(500);
            expect(delivered - deliveredBefore, context).toBe(0);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
