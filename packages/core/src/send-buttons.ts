import type * as Cause from "effect/Cause";
import * as Effect from "effect/Effect";
import type * as Exit from "effect/Exit";
import {
  type ButtonMessage,
  type ButtonMessageInput,
  createButtonMessage,
} from "./button-message.js";
import { checkCapabilities } from "./capabilities.js";
import {
  type DeliveryPolicy,
  type DeliveryPolicyOverrides,
  preparedDeliveryPolicy,
  type RetryPolicy,
} from "./delivery-policy.js";
import {
  AgentNotFound,
  ChannelNotConfigured,
  ConversationNotFound,
  Forbidden,
  IdempotencyConflict,
  InvalidMessage,
  isProviderError,
  type ProviderError,
  ProviderUnavailable,
  type SendButtonsError,
  Unauthorized,
} from "./errors.js";
import type { AgentDirectory } from "./ports/agent-directory.js";
import type { Authenticator, Principal } from "./ports/authenticator.js";
import type { ChannelPort, SendReceipt } from "./ports/channel.js";
import type { ChannelDirectory } from "./ports/channel-directory.js";
import type { Clock } from "./ports/clock.js";
import type { Conversation, ConversationDirectory } from "./ports/conversation-directory.js";
import type { IdempotencyKey, IdempotencyStore } from "./ports/idempotency-store.js";
import type { Logger } from "./ports/logger.js";
import type { MessageLog } from "./ports/message-log.js";
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
 * How long an adapter gets, after its attempt's signal aborted, to settle with its own
 * verdict (it knows whether the request left); past it the attempt is given up as
 * delivery-unknown, so an adapter that ignores the signal cannot hold a send forever.
 */
const ABORT_GRACE_MS = 1_000;

/**
 * `crypto.randomUUID()`, flattened. Node builds the id by concatenating 15 pieces, and V8
 * keeps such a string as a tree of them (~480 bytes against 56 for the flat string) for as
 * long as it lives: in the message log, as long as the message is kept, and copied by each
 * garbage collection it survives. Reading a character makes V8 flatten it in place.
 */
const defaultNewId = (): string => {
  const id = crypto.randomUUID();
  id.charCodeAt(0);
  return id;
};

/**
 * Sends a reply-button message on behalf of an agent into a conversation.
 *
 * Steps: authenticate → validate → find the agent, then the conversation → authorise →
 * pick the channel → check its capabilities → send, with a timeout per attempt and retries
 * for what the adapter marks retryable. Every expected failure is a tagged value in the
 * error channel; a rejection of a directory or store port is a defect.
 */
export const sendButtons = (
  deps: SendButtonsDeps,
  command: SendButtonsCommand,
): Effect.Effect<SendButtonsResult, SendButtonsError> =>
  Effect.flatMap(
    Effect.promise(() => prepareSend(deps, command)),
    (prepared) =>
      prepared.ok ? deliverPlan(deps, command, prepared.plan) : Effect.fail(prepared.error),
  );

/** What the steps before the send found: everything the delivery needs. */
export interface SendPlan {
  readonly newId: () => string;
  readonly requestId: string;
  readonly startedAt: number;
  readonly principal: Principal;
  readonly message: ButtonMessage;
  readonly agentId: string;
  readonly conversation: Conversation;
  readonly channel: ChannelPort;
}

/** The plan, or the expected failure that ends the request before anything is sent. */
export type PreparedSend =
  | { readonly ok: true; readonly plan: SendPlan }
  | { readonly ok: false; readonly error: SendButtonsError };

const refused = (error: SendButtonsError): PreparedSend => ({ ok: false, error });

/**
 * The steps before the send — authenticate, validate, look up, authorise, check the
 * channel's capabilities — as plain async code: lookups and checks that neither retry nor
 * time out gain nothing from a fiber, and cost one per step (see issue 11). A rejection of
 * a port rejects, the defect it is.
 */
export async function prepareSend(
  deps: SendButtonsDeps,
  command: SendButtonsCommand,
): Promise<PreparedSend> {
  const newId = deps.newId ?? defaultNewId;
  const requestId = command.requestId ?? newId();
  const startedAt = deps.clock.now();
  let principal = command.principal;
  if (principal === undefined) {
    const token = command.token;
    if (token === undefined || token.trim() === "") {
      return refused(
        new Unauthorized({ reason: "missing_token", message: "a bearer token is required" }),
      );
    }
    principal = await deps.authenticator.authenticate(token);
    if (principal === undefined) {
      return refused(
        new Unauthorized({ reason: "invalid_token", message: "the bearer token is not valid" }),
      );
    }
  }

  const built = createButtonMessage(command.message);
  if (!built.ok) {
    return refused(
      new InvalidMessage({ issues: built.issues, message: "the message is not valid" }),
    );
  }
  const message = built.value;

  const agent = await deps.agents.findAgent(command.agentId);
  if (agent === undefined) {
    return refused(
      new AgentNotFound({
        agentId: command.agentId,
        message: `agent ${command.agentId} was not found`,
      }),
    );
  }
  if (agent.organizationId !== principal.organizationId) {
    return refused(
      new Forbidden({
        agentId: agent.id,
        message: "the agent does not belong to your organization",
      }),
    );
  }

  const conversation = await deps.conversations.findConversation(command.conversationId);
  if (conversation === undefined || conversation.organizationId !== principal.organizationId) {
    return refused(
      new ConversationNotFound({
        conversationId: command.conversationId,
        message: `conversation ${command.conversationId} was not found`,
      }),
    );
  }

  const channel = await deps.channels.findChannel(conversation.channelConnectionId);
  if (channel === undefined) {
    return refused(
      new ChannelNotConfigured({
        channelConnectionId: conversation.channelConnectionId,
        message: "no channel is configured for this conversation's connection",
      }),
    );
  }
  const capabilityIssues = checkCapabilities(message, channel.capabilities);
  if (capabilityIssues.length > 0) {
    return refused(
      new InvalidMessage({
        issues: capabilityIssues,
        message: `the message does not fit what ${channel.provider} can send`,
      }),
    );
  }
  return {
    ok: true,
    plan: {
      newId,
      requestId,
      startedAt,
      principal,
      message,
      agentId: agent.id,
      conversation,
      channel,
    },
  };
}

/**
 * The send of a prepared plan, in Effect: the attempts with their timeout and retries, the
 * shutdown signal's cut, the idempotency key's claim and settlement, the record in the
 * message log and the log lines.
 */
export function deliverPlan(
  deps: SendButtonsDeps,
  command: SendButtonsCommand,
  plan: SendPlan,
): Effect.Effect<SendButtonsResult, SendButtonsError> {
  const { newId, requestId, startedAt, principal, message, conversation, channel } = plan;
  const { policy, retry } = preparedDeliveryPolicy(deps.policy);
  const logFields = {
    requestId,
    provider: channel.provider,
    agentId: plan.agentId,
    conversationId: conversation.id,
  };
  const progress: DeliveryProgress = { attempted: false };
  const deliver = deliverWithRetries(channel, conversation.recipient, message, {
    policy,
    retry,
    requestId,
    logger: deps.logger,
    logFields,
    progress,
    signal: command.signal,
    callerSignal: command.callerSignal,
  }).pipe(
    // What follows a send that went out, in one step: it neither retries nor times out.
    Effect.flatMap((providerMessageId) =>
      Effect.promise(async (): Promise<SendButtonsResult> => {
        const result: SendButtonsResult = {
          messageId: newId(),
          providerMessageId,
          provider: channel.provider,
          conversationId: conversation.id,
          status: "sent",
        };
        if (deps.messageLog !== undefined) {
          try {
            await deps.messageLog.record({
              messageId: result.messageId,
              providerMessageId: result.providerMessageId,
              provider: result.provider,
              organizationId: principal.organizationId,
              connectionId: conversation.channelConnectionId,
              conversationId: conversation.id,
              recipient: conversation.recipient,
              buttons: message.buttons,
              sentAt: new Date(deps.clock.now()),
            });
          } catch (failure) {
            deps.logger.log("warn", "send_buttons.not_recorded", {
              ...logFields,
              messageId: result.messageId,
              errorName: failure instanceof Error ? failure.name : typeof failure,
            });
          }
        }
        deps.logger.log("info", "send_buttons.sent", {
          ...logFields,
          messageId: result.messageId,
          providerMessageId: result.providerMessageId,
          durationMs: deps.clock.now() - startedAt,
        });
        return result;
      }),
    ),
    Effect.tapError((error) =>
      Effect.sync(() =>
        deps.logger.log("error", "send_buttons.failed", {
          ...logFields,
          error: error._tag,
          providerCode: error.providerCode,
          durationMs: deps.clock.now() - startedAt,
        }),
      ),
    ),
  );

  if (command.idempotencyKey === undefined || deps.idempotency === undefined) {
    return deliver;
  }
  return onlyOnce(deps.idempotency, {
    key: { organizationId: principal.organizationId, key: command.idempotencyKey },
    fingerprint: fingerprintOf(command, message),
    logger: deps.logger,
    requestId,
    progress,
    run: deliver,
  });
}

/** Whether any attempt has been handed to the channel: after that, a cut send may have gone. */
interface DeliveryProgress {
  attempted: boolean;
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

function deliverWithRetries(
  channel: ChannelPort,
  recipient: string,
  message: ButtonMessage,
  { policy, retry, requestId, logger, logFields, progress, signal, callerSignal }: DeliveryOptions,
): Effect.Effect<string, ProviderError> {
  const provider = channel.provider;
  // The failure of a send cut short by `signal`: read when it aborts, whether an attempt
  // had started by then. Never retried, nor logged as an attempt's failure.
  const cuts = new WeakSet<ProviderError>();
  const cutShort = (): ProviderError => {
    const error = new ProviderUnavailable({
      provider,
      retryable: true,
      ...(progress.attempted ? { deliveryUnknown: true } : {}),
      message: progress.attempted
        ? `the send to ${provider} was cut short; the message may or may not have been sent`
        : `the send to ${provider} was cut short before it started`,
    });
    cuts.add(error);
    return error;
  };
  const { schedule, times, while: retryable } = retry;
  const retried = (error: ProviderError) => !cuts.has(error) && retryable(error);

  const delivery = Effect.suspend(() => {
    // Counted per run of the returned effect, which may be run more than once.
    let attempt = 0;
    const once = Effect.suspend(() => {
      if (callerSignal?.aborted === true) {
        return Effect.fail(
          new ProviderUnavailable({
            provider,
            retryable: false,
            message: `not sent to ${provider}: the caller stopped waiting before the send started`,
          }),
        );
      }
      attempt += 1;
      progress.attempted = true;
      return sendWithin(channel, recipient, message, requestId, policy, signal, cutShort).pipe(
        Effect.tapError((error) =>
          cuts.has(error)
            ? Effect.void
            : Effect.sync(() =>
                logger.log("warn", "send_buttons.attempt_failed", {
                  ...logFields,
                  attempt,
                  error: error._tag,
                  providerCode: error.providerCode,
                  retryable: error._tag === "ProviderUnavailable" && error.retryable,
                  deliveryUnknown:
                    error._tag === "ProviderUnavailable" && error.deliveryUnknown === true,
                }),
              ),
        ),
      );
    });
    // The first attempt runs alone: it listens to `signal` itself. Only a failure worth a
    // retry sets up the retries, with the same schedule as if they had wrapped it from the
    // start (the first failure is replayed to it, so its delay and count are the same),
    // raced against `signal`, which must also cut a wait between two attempts short.
    return once.pipe(
      Effect.catch((first) => {
        if (times < 1 || !retried(first)) return Effect.fail(first);
        let replayed = false;
        const retries = Effect.suspend(() => {
          if (replayed) return once;
          replayed = true;
          return Effect.fail(first);
        }).pipe(Effect.retry({ schedule, times, while: retried }));
        return signal === undefined ? retries : cutShortBy(signal, retries, cutShort);
      }),
      Effect.map((receipt) => receipt.providerMessageId),
    );
  });
  return signal === undefined
    ? delivery
    : Effect.suspend(() => (signal.aborted ? Effect.fail(cutShort()) : delivery));
}

/**
 * One attempt, with the one abort signal the adapter gets. After `attemptTimeoutMs` the
 * attempt is abandoned by aborting that signal rather than by walking away from it: the
 * adapter then settles with its own verdict, which knows what a timer here cannot —
 * whether the request had left (a request still waiting for a pooled connection is "not
 * sent", and safe to retry). Only an adapter that ignores its signal is walked away from,
 * {@link ABORT_GRACE_MS} later, as delivery-unknown. When `cut` aborts (or the attempt is
 * interrupted) the signal is aborted too, and the attempt fails at once with `cutShort()`.
 * One timer and one `AbortController` per attempt; no fiber of its own.
 */
function sendWithin(
  channel: ChannelPort,
  recipient: string,
  message: ButtonMessage,
  requestId: string,
  policy: DeliveryPolicy,
  cut: AbortSignal | undefined,
  cutShort: () => ProviderError,
): Effect.Effect<SendReceipt, ProviderError> {
  return Effect.callback<SendReceipt, ProviderError>((resume) => {
    const attempt = new AbortController();
    const abandon = () => {
      clearTimeout(timer);
      cut?.removeEventListener("abort", onCut);
      attempt.abort(new DOMException("the attempt was interrupted", "AbortError"));
    };
    const onCut = () => {
      abandon();
      resume(Effect.fail(cutShort()));
    };
    let timer = setTimeout(() => {
      attempt.abort(new DOMException("the attempt timed out", "TimeoutError"));
      timer = setTimeout(() => {
        cut?.removeEventListener("abort", onCut);
        resume(
          Effect.fail(
            new ProviderUnavailable({
              provider: channel.provider,
              retryable: true,
              deliveryUnknown: true,
              message: `${channel.provider} did not answer within ${policy.attemptTimeoutMs} ms`,
            }),
          ),
        );
      }, ABORT_GRACE_MS);
    }, policy.attemptTimeoutMs);
    cut?.addEventListener("abort", onCut, { once: true });
    const settled = () => {
      clearTimeout(timer);
      cut?.removeEventListener("abort", onCut);
    };
    let sent: Promise<SendReceipt>;
    try {
      sent = channel.send(recipient, message, {
        requestId,
        signal: attempt.signal,
        signalTimeoutMs: policy.attemptTimeoutMs,
      });
    } catch (cause) {
      sent = Promise.reject(cause);
    }
    sent.then(
      (receipt) => {
        settled();
        resume(Effect.succeed(receipt));
      },
      (cause: unknown) => {
        settled();
        resume(Effect.fail(asProviderError(cause, channel.provider)));
      },
    );
    return Effect.sync(abandon);
  });
}

/** Fails `retries` with `cutShort()` as soon as `signal` aborts, interrupting them. */
function cutShortBy<A>(
  signal: AbortSignal,
  retries: Effect.Effect<A, ProviderError>,
  cutShort: () => ProviderError,
): Effect.Effect<A, ProviderError> {
  // Its listener let go of by the cleanup the callback returns, rather than by an abort
  // signal of its own, which Effect would abort (with a DOMException) when retries win.
  const aborted = Effect.callback<never, ProviderError>((resume) => {
    const fail = () => resume(Effect.fail(cutShort()));
    signal.addEventListener("abort", fail, { once: true });
    return Effect.sync(() => signal.removeEventListener("abort", fail));
  });
  return Effect.suspend(() =>
    signal.aborted ? Effect.fail(cutShort()) : Effect.raceFirst(retries, aborted),
  );
}

/** An adapter that rejects with anything but a provider error has a bug: do not retry it. */
function asProviderError(cause: unknown, provider: string): ProviderError {
  if (isProviderError(cause)) return cause;
  // Only the error's name: an unexpected error's text may quote a URL or header with a secret.
  const name = cause instanceof Error ? cause.name : typeof cause;
  return new ProviderUnavailable({
    provider,
    retryable: false,
    deliveryUnknown: true,
    message: `the ${provider} channel failed unexpectedly (${name})`,
  });
}

const mayHaveBeenDelivered = (error: ProviderError): boolean =>
  error._tag === "ProviderUnavailable" && error.deliveryUnknown === true;

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

interface OnlyOnceOptions {
  readonly key: IdempotencyKey;
  readonly fingerprint: string;
  readonly logger: Logger;
  readonly requestId: string;
  readonly progress: DeliveryProgress;
  readonly run: Effect.Effect<SendButtonsResult, ProviderError>;
}

/** Runs `run` at most once per key; a repeat of the same request gets the first result. */
function onlyOnce(
  store: IdempotencyStore,
  { key, fingerprint, logger, requestId, progress, run }: OnlyOnceOptions,
): Effect.Effect<SendButtonsResult, ProviderError | IdempotencyConflict> {
  return Effect.gen(function* () {
    const claim = yield* Effect.promise(() => store.claim(key, fingerprint));
    if (claim.status !== "claimed" && claim.fingerprint !== fingerprint) {
      return yield* new IdempotencyConflict({
        reason: "different_request",
        message: "this idempotency key was already used for a different request",
      });
    }
    if (claim.status === "in_progress") {
      return yield* new IdempotencyConflict({
        reason: "in_progress",
        message: "a request with this idempotency key is still being processed",
      });
    }
    if (claim.status === "outcome_unknown") {
      return yield* new IdempotencyConflict({
        reason: "outcome_unknown",
        message:
          "the first request with this idempotency key failed after it may have delivered the message; check before sending again with a new key",
      });
    }
    if (claim.status === "completed") {
      logger.log("info", "send_buttons.replayed", {
        requestId,
        messageId: claim.result.messageId,
      });
      return claim.result;
    }
    return yield* run.pipe(
      Effect.onExit((exit) => {
        const [settle, settled] = settlementOf(exit, store, key, progress);
        return Effect.tryPromise(settled).pipe(
          // The send's own outcome stands (a message sent is answered as sent): a store that
          // cannot record it leaves the key running, and a shared store's lease then turns it
          // into outcome_unknown — never a second send.
          Effect.catch((failure) =>
            Effect.sync(() =>
              logger.log("error", "idempotency.not_settled", {
                requestId,
                settle,
                errorName:
                  failure.cause instanceof Error ? failure.cause.name : typeof failure.cause,
              }),
            ),
          ),
        );
      }),
    );
  });
}

/** What becomes of a claimed key once its send ended: its name, for the logs, and the call. */
function settlementOf(
  exit: Exit.Exit<SendButtonsResult, ProviderError>,
  store: IdempotencyStore,
  key: IdempotencyKey,
  progress: DeliveryProgress,
): readonly ["complete" | "markOutcomeUnknown" | "release", () => Promise<void>] {
  if (exit._tag === "Success") return ["complete", () => store.complete(key, exit.value)];
  const error = exit.cause.reasons.find(
    (reason): reason is Cause.Fail<ProviderError> => reason._tag === "Fail",
  )?.error;
  // No typed error: interrupted or a defect, possibly mid-attempt. Only a run that never
  // handed the message to the channel can give its key back.
  const unknown = error === undefined ? progress.attempted : mayHaveBeenDelivered(error);
  return unknown
    ? ["markOutcomeUnknown", () => store.markOutcomeUnknown(key)]
    : ["release", () => store.release(key)];
}
