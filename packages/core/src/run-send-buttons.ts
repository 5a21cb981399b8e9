import * as Effect from "effect/Effect";
import type { SendButtonsError } from "./errors.js";
import {
  deliverPlan,
  prepareSend,
  type SendButtonsCommand,
  type SendButtonsDeps,
} from "./send-buttons.js";
import type { SendButtonsResult } from "./send-buttons-result.js";

export type SendButtonsOutcome =
  | { readonly ok: true; readonly value: SendButtonsResult }
  | { readonly ok: false; readonly error: SendButtonsError };

/**
 * {@link sendButtons} for code that does not use Effect: expected failures come back as
 * `{ ok: false, error }` (switch on `error._tag`); only bugs and failing ports reject.
 */
export async function runSendButtons(
  deps: SendButtonsDeps,
  command: SendButtonsCommand,
): Promise<SendButtonsOutcome> {
  // The steps before the send are plain async code (see `prepareSend`): a request refused
  // there never starts a fiber. Only the send itself runs in Effect.
  const prepared = await prepareSend(deps, command);
  if (!prepared.ok) return prepared;
  const result = await Effect.runPromise(Effect.result(deliverPlan(deps, command, prepared.plan)));
  return result._tag === "Success"
    ? { ok: true, value: result.success }
    : { ok: false, error: result.failure };
}
