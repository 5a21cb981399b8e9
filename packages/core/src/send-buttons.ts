import * as Effect from "effect/Effect";
import type { ButtonMessageInput } from "./button-message.js";
import type { DeliveryPolicyOverrides } from "./delivery-policy.js";
import type { SendButtonsError } from "./errors.js";
import type { AgentDirectory } from "./ports/agent-directory.js";
import type { Authenticator, Principal } from "./ports/authenticator.js";
import type { ChannelDirectory } from "./ports/channel-directory.js";
import type { Clock } from "./ports/clock.js";
import type { ConversationDirectory } from "./ports/conversation-directory.js";
import type { IdempotencyStore } from "./ports/idempotency-store.js";
import type { Logger } from "./ports/logger.js";
import type { MessageLog } from "./ports/message-log.js";
import { runSendButtons } from "./run-send-buttons.js";
import type { SendButtonsResult } from "./send-buttons-result.js";

export interface SendButtonsDeps {
  readonly authenticator: Authenticator;
  readonly agents: AgentDirectory;
  readonly conversations: ConversationDirectory;
  readonly channels: ChannelDirectory;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Without a store, an idempotency key is ignored and every request sends. */
  readonly idempotency?: IdempotencyStore;
  /**
   * Where every message sent is recorded, so that taps and statuses can be matched to it
   * later. Optional: without it nothing is recorded. A failure to record is logged, never
   * turned into a failed send (the message did go out).
   */
  readonly messageLog?: MessageLog;
  /** Makes replykit's message ids; `crypto.randomUUID` by default. */
  readonly newId?: () => string;
  /** Timeouts and retries; each field left out (or `undefined`) keeps its default. */
  readonly policy?: DeliveryPolicyOverrides;
}

export interface SendButtonsCommand {
  /** The bearer token exactly as received (without the `Bearer ` prefix). */
  readonly token?: string | undefined;
  /**
   * The caller, when it was already authenticated before the command was built (the HTTP
   * app checks the token before it reads the body, so that a bad token costs no parsing);
   * `token` is then not looked at.
   */
  readonly principal?: Principal | undefined;
  readonly agentId: string;
  readonly conversationId: string;
  readonly message: ButtonMessageInput;
  readonly idempotencyKey?: string | undefined;
  readonly requestId?: string | undefined;
  /**
   * Cuts the send short when it aborts (a server shutting down): no further attempt starts,
   * the one under way is abandoned, and the command fails with `ProviderUnavailable` —
   * `deliveryUnknown` when an attempt had started — its idempotency key kept as
   * `outcome_unknown` in that case and released otherwise.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Aborted when the caller stopped waiting (an HTTP client hung up). An attempt not yet
   * started is then never started: the command fails with a `ProviderUnavailable` that says
   * nothing was sent (its key is released), so nothing goes out that nobody waits for. An
   * attempt under way is let finish, so that its outcome is recorded under its key. Only
   * `aborted` is read, before each attempt: any object that tells it will do.
   */
  readonly callerSignal?: { readonly aborted: boolean } | undefined;
}

/**
 * Sends a reply-button message on behalf of an agent into a conversation.
 *
 * Steps: authenticate → validate → find the agent, then the conversation → authorise →
 * pick the channel → check its capabilities → send, with a timeout per attempt and retries
 * for what the adapter marks retryable. Every expected failure is a tagged value in the
 * error channel; a rejection of a directory or store port is a defect.
 *
 * Interrupting the effect cuts the send short as `command.signal` would (the attempt under
 * way is abandoned, no further one starts) and ends once its idempotency key is settled:
 * kept as `outcome_unknown` when an attempt had started, released otherwise.
 */
export const sendButtons = (
  deps: SendButtonsDeps,
  command: SendButtonsCommand,
): Effect.Effect<SendButtonsResult, SendButtonsError> =>
  Effect.callback<SendButtonsResult, SendButtonsError>((resume) => {
    const interruption = new AbortController();
    const shutdown = command.signal;
    const cut = () => interruption.abort(shutdown?.reason);
    if (shutdown?.aborted === true) cut();
    else shutdown?.addEventListener("abort", cut, { once: true });
    const ended = runSendButtons(deps, { ...command, signal: interruption.signal })
      .then(
        (outcome) =>
          resume(outcome.ok ? Effect.succeed(outcome.value) : Effect.fail(outcome.error)),
        (defect: unknown) => resume(Effect.die(defect)),
      )
      .finally(() => shutdown?.removeEventListener("abort", cut));
    return Effect.promise(() => {
      interruption.abort();
      return ended;
    });
  });
