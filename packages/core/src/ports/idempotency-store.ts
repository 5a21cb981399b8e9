import type { SendButtonsResult } from "../send-buttons-result.js";

/**
 * A client's `Idempotency-Key`, scoped to the organization that sent it. The two parts stay
 * apart all the way down, so that no organization id, whatever characters it holds, can
 * make its keys collide with another organization's.
 */
export interface IdempotencyKey {
  readonly organizationId: string;
  readonly key: string;
}

export type IdempotencyClaim =
  /** The caller now owns the key and must `complete`, `release` or `markOutcomeUnknown` it. */
  | { readonly status: "claimed" }
  | { readonly status: "in_progress"; readonly fingerprint: string }
  /** The first request failed after it may have reached the provider. */
  | { readonly status: "outcome_unknown"; readonly fingerprint: string }
  | {
      readonly status: "completed";
      readonly fingerprint: string;
      readonly result: SendButtonsResult;
    };

/**
 * Remembers the result of a request by its idempotency key. `claim` must be atomic: of
 * two concurrent claims of one key, exactly one gets `"claimed"`.
 */
export interface IdempotencyStore {
  claim(key: IdempotencyKey, fingerprint: string): Promise<IdempotencyClaim>;
  complete(key: IdempotencyKey, result: SendButtonsResult): Promise<void>;
  /** Forgets a claimed key whose request failed before anything was sent, so that the client may try again. */
  release(key: IdempotencyKey): Promise<void>;
  /**
   * Keeps a claimed key whose request failed after it may have delivered the message: later
   * claims get `"outcome_unknown"` until the key expires, and nothing is sent under it again.
   */
  markOutcomeUnknown(key: IdempotencyKey): Promise<void>;
}
