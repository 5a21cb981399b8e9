import { AttemptAbort } from "./attempt-abort.js";
import type { ButtonMessage } from "./button-message.js";
import type { DeliveryPolicy } from "./delivery-policy.js";
import { isProviderError, type ProviderError, ProviderUnavailable } from "./errors.js";
import type { ChannelPort, SendContext, SendReceipt } from "./ports/channel.js";

/**
 * How long an adapter gets, after its attempt's signal aborted, to settle with its own
 * verdict (it knows whether the request left); past it the attempt is given up as
 * delivery-unknown, so an adapter that ignores the signal cannot hold a send forever.
 */
const ABORT_GRACE_MS = 1_000;

/** What one attempt needs beside the channel and the message. */
export interface AttemptOptions {
  readonly requestId: string;
  readonly policy: DeliveryPolicy;
  /** Cuts the attempt short when it aborts (a shutdown, an interrupted send). */
  readonly cut: AbortSignal | undefined;
  /** The failure of an attempt cut short. */
  readonly cutShort: () => ProviderError;
}

/**
 * One attempt, with the one abort signal the adapter gets. After `attemptTimeoutMs` the
 * attempt is abandoned by aborting that signal rather than by walking away from it: the
 * adapter then settles with its own verdict, which knows what a timer here cannot —
 * whether the request had left (a request still waiting for a pooled connection is "not
 * sent", and safe to retry). Only an adapter that ignores its signal is walked away from,
 * {@link ABORT_GRACE_MS} later, as delivery-unknown. When `cut` aborts the signal is
 * aborted too, and the attempt ends at once with `cutShort()`.
 *
 * Resolves with the receipt or with the provider error that ended the attempt, never
 * rejects: an adapter's failure is an expected outcome here, not an exception, and a
 * rejection that is not a provider error is turned into one (see {@link asProviderError}).
 * One timer per attempt, and one `AbortSignal` unless the channel reads it on demand
 * (`ChannelPort.signalOnDemand`) and never does.
 */
export function sendAttempt(
  channel: ChannelPort,
  recipient: string,
  message: ButtonMessage,
  { requestId, policy, cut, cutShort }: AttemptOptions,
): Promise<SendReceipt | ProviderError> {
  return new Promise((settle) => {
    const attempt = new AttemptAbort(requestId, policy.attemptTimeoutMs);
    const release = () => {
      clearTimeout(timer);
      cut?.removeEventListener("abort", onCut);
    };
    const onCut = () => {
      release();
      attempt.abort(new DOMException("the attempt was cut short", "AbortError"));
      settle(cutShort());
    };
    let timer = setTimeout(() => {
      attempt.abort(new DOMException("the attempt timed out", "TimeoutError"));
      timer = setTimeout(() => {
        release();
        settle(
          new ProviderUnavailable({
            provider: channel.provider,
            retryable: true,
            deliveryUnknown: true,
            message: `${channel.provider} did not answer within ${policy.attemptTimeoutMs} ms`,
          }),
        );
      }, ABORT_GRACE_MS);
    }, policy.attemptTimeoutMs);
    cut?.addEventListener("abort", onCut, { once: true });
    let sent: Promise<SendReceipt>;
    try {
      sent = channel.send(recipient, message, contextFor(channel, attempt));
    } catch (cause) {
      sent = Promise.reject(cause);
    }
    sent.then(
      (receipt) => {
        release();
        settle(receipt);
      },
      (cause: unknown) => {
        release();
        settle(asProviderError(cause, channel.provider));
      },
    );
  });
}

/**
 * The attempt itself for a channel that reads its signal on demand; for any other, which
 * may copy the context (`{ ...context }` keeps only own data), a plain object.
 */
function contextFor(channel: ChannelPort, attempt: AttemptAbort): SendContext {
  if (channel.signalOnDemand === true) return attempt;
  return {
    requestId: attempt.requestId,
    signal: attempt.signal,
    signalTimeoutMs: attempt.signalTimeoutMs,
    cancellation: attempt,
  };
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
