import type { DeliveryProgress } from "./deliver-plan.js";
import { IdempotencyConflict, type ProviderError } from "./errors.js";
import type { IdempotencyKey, IdempotencyStore } from "./ports/idempotency-store.js";
import type { Logger } from "./ports/logger.js";
import type { SendButtonsOutcome, SentOrFailed } from "./send-buttons-result.js";

export interface OnlyOnceOptions {
  readonly key: IdempotencyKey;
  readonly fingerprint: string;
  readonly logger: Logger;
  readonly requestId: string;
  /** Read when `run` ends without an outcome (a defect): whether it may have sent. */
  readonly progress: DeliveryProgress;
  readonly run: () => Promise<SentOrFailed>;
}

const conflict = (reason: IdempotencyConflict["reason"], message: string): SendButtonsOutcome => ({
  ok: false,
  error: new IdempotencyConflict({ reason, message }),
});

/** Runs `run` at most once per key; a repeat of the same request gets the first result. */
export async function onlyOnce(
  store: IdempotencyStore,
  { key, fingerprint, logger, requestId, progress, run }: OnlyOnceOptions,
): Promise<SendButtonsOutcome> {
  const claim = await store.claim(key, fingerprint);
  if (claim.status !== "claimed" && claim.fingerprint !== fingerprint) {
    return conflict(
      "different_request",
      "this idempotency key was already used for a different request",
    );
  }
  if (claim.status === "in_progress") {
    return conflict("in_progress", "a request with this idempotency key is still being processed");
  }
  if (claim.status === "outcome_unknown") {
    return conflict(
      "outcome_unknown",
      "the first request with this idempotency key failed after it may have delivered the message; check before sending again with a new key",
    );
  }
  if (claim.status === "completed") {
    logger.log("info", "send_buttons.replayed", {
      requestId,
      messageId: claim.result.messageId,
    });
    return { ok: true, value: claim.result };
  }
  const settle = (settlement: Settlement, call: () => Promise<void>) =>
    settleKey(settlement, call, logger, requestId);
  let outcome: SentOrFailed;
  try {
    outcome = await run();
  } catch (defect) {
    // No outcome: a defect, possibly mid-attempt. Only a run that never handed the message
    // to the channel can give its key back.
    await (progress.attempted
      ? settle("markOutcomeUnknown", () => store.markOutcomeUnknown(key))
      : settle("release", () => store.release(key)));
    throw defect;
  }
  if (outcome.ok) {
    const result = outcome.value;
    await settle("complete", () => store.complete(key, result));
  } else if (mayHaveBeenDelivered(outcome.error)) {
    await settle("markOutcomeUnknown", () => store.markOutcomeUnknown(key));
  } else {
    await settle("release", () => store.release(key));
  }
  return outcome;
}

const mayHaveBeenDelivered = (error: ProviderError): boolean =>
  error._tag === "ProviderUnavailable" && error.deliveryUnknown === true;

type Settlement = "complete" | "markOutcomeUnknown" | "release";

/**
 * What becomes of a claimed key once its send ended, named for the logs. The send's own
 * outcome stands (a message sent is answered as sent): a store that cannot record it leaves
 * the key running, and a shared store's lease then turns it into outcome_unknown — never a
 * second send.
 */
async function settleKey(
  settlement: Settlement,
  call: () => Promise<void>,
  logger: Logger,
  requestId: string,
): Promise<void> {
  try {
    await call();
  } catch (failure) {
    logger.log("error", "idempotency.not_settled", {
      requestId,
      settle: settlement,
      errorName: failure instanceof Error ? failure.name : typeof failure,
    });
  }
}
