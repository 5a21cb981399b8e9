import type { SendButtonsResult } from "../send-buttons-result.js";

export type IdempotencyClaim =
  /** The caller now owns the key and must `complete` or `release` it. */
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
 * two concurrent claims of one key, exactly one gets `"claimed"`. Keys arrive already
 * scoped to the caller's organization.
 */
export interface IdempotencyStore {
  claim(key: string, fingerprint: string): Promise<IdempotencyClaim>;
  complete(key: string, result: SendButtonsResult): Promise<void>;
  /** Forgets a claimed key whose request failed, so that the client may try again. */
  release(key: string): Promise<void>;
  /**
   * Keeps a claimed key whose request failed after it may have delivered the message: later
   * claims get `"outcome_unknown"` until the key expires, and nothing is sent under it again.
   */
  markOutcomeUnknown(key: string): Promise<void>;
}
