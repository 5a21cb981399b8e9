import { deliverPlan } from "./deliver-plan.js";
import { prepareSend } from "./prepare-send.js";
import type { SendButtonsCommand, SendButtonsDeps } from "./send-buttons.js";
import type { SendButtonsOutcome } from "./send-buttons-result.js";

export type { SendButtonsOutcome } from "./send-buttons-result.js";

/**
 * {@link sendButtons} for code that does not use Effect: expected failures come back as
 * `{ ok: false, error }` (switch on `error._tag`); only bugs and failing ports reject.
 */
export async function runSendButtons(
  deps: SendButtonsDeps,
  command: SendButtonsCommand,
): Promise<SendButtonsOutcome> {
  const prepared = await prepareSend(deps, command);
  return prepared.ok ? deliverPlan(deps, command, prepared.plan) : prepared;
}
