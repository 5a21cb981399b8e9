import * as Effect from "effect/Effect";
import type * as Result from "effect/Result";
import type { ButtonMessage } from "./button-message.js";
import {
  type DeliveryPolicy,
  preparedDeliveryPolicy,
  type RetryPolicy,
} from "./delivery-policy.js";
import { isProviderError, type ProviderError, ProviderUnavailable } from "./errors.js";
import { onlyOnce } from "./only-once.js";
import type { ChannelPort, SendReceipt } from "./ports/channel.js";
import type { Logger } from "./ports/logger.js";
import type { SendPlan } from "./prepare-send.js";
import { sendAttempt } from "./send-attempt.js";
import type { SendButtonsCommand, SendButtonsDeps } from "./send-buttons.js";
import type { SendButtonsOutcome, SentOrFailed } from "./send-buttons-result.js";

/**
 * The send of a prepared plan: the attempts with their timeout and retries, the shutdown
 * signal's cut, the idempotency key's claim and settlement, the record in the message log
 * and the log lines. Plain async code up to the first failure worth a retry: a send that
 * goes through at its first attempt (nearly all of them) gains nothing from a fiber, and
 * one cost it ~4 KB of allocation and ~5–10 µs of CPU (see issue 11). The retries run in Effect,
 * with their schedule. Rejects only for a defect (a port or the logger throwing).
 */
export function deliverPlan(
  deps: SendButtonsDeps,
  command: SendButtonsCommand,
  plan: SendPlan,
): Promise<SendButtonsOutcome> {
  const progress: DeliveryProgress = { attempted: false };
  if (command.idempotencyKey === undefined || deps.idempotency === undefined) {
    return sendAndRecord(deps, command, plan, progress);
  }
  return onlyOnce(deps.idempotency, {
    key: { organizationId: plan.principal.organizationId, key: command.idempotencyKey },
    fingerprint: fingerprintOf(command, plan.message),
    logger: deps.logger,
    requestId: plan.requestId,
    progress,
    run: () => sendAndRecord(deps, command, plan, progress),
  });
}

/** Whether any attempt has been handed to the channel: after that, a cut send may have gone. */
export interface DeliveryProgress {
  attempted: boolean;
}

async function sendAndRecord(
  deps: SendButtonsDeps,
  command: SendButtonsCommand,
  plan: SendPlan,
  progress: DeliveryProgress,
): Promise<SentOrFailed> {
  const { newId, requestId, startedAt, principal, message, conversation, channel } = plan;
  const { policy, retry } = preparedDeliveryPolicy(deps.policy);
  const logFields = {
    requestId,
    provider: channel.provider,
    agentId: plan.agentId,
    conversationId: conversation.id,
  };
  const sent = await deliverWithRetries(channel, conversation.recipient, message, {
    policy,
    retry,
    requestId,
    logger: deps.logger,
    logFields,
    progress,
    signal: command.signal,
    callerSignal: command.callerSignal,
  });
  if (isProviderError(sent)) {
    deps.logger.log("error", "send_buttons.failed", {
      ...logFields,
      error: sent._tag,
      providerCode: sent.providerCode,
      durationMs: deps.clock.now() - startedAt,
    });
    return { ok: false, error: sent };
  }
  const messageId = newId();
  if (deps.messageLog !== undefined) {
    try {
      await deps.messageLog.record({
        messageId,
        providerMessageId: sent.providerMessageId,
        provider: channel.provider,
        organizationId: principal.organizationId,
        connectionId: conversation.channelConnectionId,
        conversationId: conversation.id,
        recipient: conversation.recipient,
        buttons: message.buttons,
        sentAt: new Date(deps.clock.now()),
      });
    } catch (failure) {
      // The message did go out: a failure to record it is logged, never turned into a failure.
      deps.logger.log("warn", "send_buttons.not_recorded", {
        ...logFields,
        messageId,
        errorName: failure instanceof Error ? failure.name : typeof failure,
      });
    }
  }
  deps.logger.log("info", "send_buttons.sent", {
    ...logFields,
    messageId,
    providerMessageId: sent.providerMessageId,
    durationMs: deps.clock.now() - startedAt,
  });
  return {
    ok: true,
    value: {
      messageId,
      providerMessageId: sent.providerMessageId,
      provider: channel.provider,
      conversationId: conversation.id,
      status: "sent",
    },
  };
}

interface DeliveryOptions {
  readonly policy: DeliveryPolicy;
  readonly retry: RetryPolicy;
  readonly requestId: string;
  readonly logger: Logger;
  readonly logFields: Readonly<Record<string, unknown>>;
  readonly progress: DeliveryProgress;
  readonly signal: AbortSignal | undefined;
  readonly callerSignal: { readonly aborted: boolean } | undefined;
}

/**
 * The failures of sends cut short by their `signal`: never retried, nor logged as an
 * attempt's failure. One set for every send, rather than one made per send.
 */
const cutShortFailures = new WeakSet<ProviderError>();

/** The receipt of the attempt that went through, or the failure that ended the send. */
async function deliverWithRetries(
  channel: ChannelPort,
  recipient: string,
  message: ButtonMessage,
  options: DeliveryOptions,
): Promise<SendReceipt | ProviderError> {
  const { policy, retry, requestId, logger, logFields, progress, signal, callerSignal } = options;
  const provider = channel.provider;
  // Read when the signal aborts: whether an attempt had started by then.
  const cutShort = (): ProviderError => {
    const error = new ProviderUnavailable({
      provider,
      retryable: true,
      ...(progress.attempted ? { deliveryUnknown: true } : {}),
      message: progress.attempted
        ? `the send to ${provider} was cut short; the message may or may not have been sent`
        : `the send to ${provider} was cut short before it started`,
    });
    cutShortFailures.add(error);
    return error;
  };
  if (hasAborted(signal)) return cutShort();

  let attempt = 0;
  const attemptOptions = { requestId, policy, cut: signal, cutShort };
  const once = async (): Promise<SendReceipt | ProviderError> => {
    if (callerSignal?.aborted === true) {
      return new ProviderUnavailable({
        provider,
        retryable: false,
        message: `not sent to ${provider}: the caller stopped waiting before the send started`,
      });
    }
    attempt += 1;
    progress.attempted = true;
    const outcome = await sendAttempt(channel, recipient, message, attemptOptions);
    if (isProviderError(outcome) && !cutShortFailures.has(outcome)) {
      logger.log("warn", "send_buttons.attempt_failed", {
        ...logFields,
        attempt,
        error: outcome._tag,
        providerCode: outcome.providerCode,
        retryable: outcome._tag === "ProviderUnavailable" && outcome.retryable,
        deliveryUnknown: outcome._tag === "ProviderUnavailable" && outcome.deliveryUnknown === true,
      });
    }
    return outcome;
  };

  const first = await once();
  const { schedule, times, while: retryable } = retry;
  const retried = (error: ProviderError) => !cutShortFailures.has(error) && retryable(error);
  if (!isProviderError(first) || times < 1 || !retried(first)) return first;
  // Only a failure worth a retry sets up the retries, with the same schedule as if they had
  // wrapped the first attempt (its failure is replayed to them, so their first delay and
  // their count are the same). `signal` interrupts them, a wait between two attempts too.
  let replayed = false;
  const retries = Effect.suspend(() => {
    if (!replayed) {
      replayed = true;
      return Effect.fail(first);
    }
    return Effect.flatMap(Effect.promise(once), (outcome) =>
      isProviderError(outcome) ? Effect.fail(outcome) : Effect.succeed(outcome),
    );
  }).pipe(Effect.retry({ schedule, times, while: retried }));
  let ended: Result.Result<SendReceipt, ProviderError>;
  try {
    ended = await Effect.runPromise(Effect.result(retries), { signal });
  } catch (interrupted) {
    // Interrupted by `signal` (the attempt under way, if any, listens to it too and ends as
    // cut short), or a defect.
    if (hasAborted(signal)) return cutShort();
    throw interrupted;
  }
  return ended._tag === "Success" ? ended.success : ended.failure;
}

const hasAborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true;

function fingerprintOf(command: SendButtonsCommand, message: ButtonMessage): string {
  return JSON.stringify([
    command.agentId,
    command.conversationId,
    message.header ?? null,
    message.body,
    message.footer ?? null,
    message.buttons.map((button) => [button.id, button.title]),
  ]);
}
