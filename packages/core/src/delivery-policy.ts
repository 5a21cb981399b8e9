import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import * as Schedule from "effect/Schedule";
import type { ProviderError } from "./errors.js";

/** How hard the use case tries to hand a message to the provider. */
export interface DeliveryPolicy {
  /** Time allowed for one attempt before it is abandoned as unavailable. Default 10 000. */
  readonly attemptTimeoutMs: number;
  /** Retries after the first attempt, for failures the adapter marks retryable. Default 2. */
  readonly maxRetries: number;
  /** Wait before the first retry; it doubles each retry, with jitter. Default 250. */
  readonly initialBackoffMs: number;
  /**
   * Longest single wait, a provider's `Retry-After` included. A provider asking for a longer
   * wait ends the retries, and its `retryAfterMs` reaches the caller. Default 5 000.
   */
  readonly maxBackoffMs: number;
  /**
   * Whether to retry a failure after which the message may have been delivered (a timeout
   * or reset after the request was written, a 5xx, an unexpected 2xx: `deliveryUnknown`).
   * Default `false`: a send is at most once, and such a failure reaches the caller as
   * delivery-unknown, to be resolved later (status webhooks, the message log), never by
   * sending again. `true` is an opt-in whose cost is real: every such failure is sent again,
   * so a provider that answers slowly or drops its connection after accepting the message
   * shows the customer the buttons twice (or up to `maxRetries + 1` times).
   */
  readonly retryWhenDeliveryUnknown: boolean;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = Object.freeze({
  attemptTimeoutMs: 10_000,
  maxRetries: 2,
  initialBackoffMs: 250,
  maxBackoffMs: 5_000,
  retryWhenDeliveryUnknown: false,
});

/** Any subset of a policy; an `undefined` field keeps its default (handy for parsed config). */
export type DeliveryPolicyOverrides = {
  readonly [K in keyof DeliveryPolicy]?: DeliveryPolicy[K] | undefined;
};

export function resolveDeliveryPolicy(overrides: DeliveryPolicyOverrides = {}): DeliveryPolicy {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined);
  return { ...DEFAULT_DELIVERY_POLICY, ...Object.fromEntries(defined) };
}

const isRetryable = (policy: DeliveryPolicy) => (error: ProviderError) =>
  error._tag === "ProviderUnavailable" &&
  error.retryable &&
  (policy.retryWhenDeliveryUnknown || error.deliveryUnknown !== true) &&
  (error.retryAfterMs ?? 0) <= policy.maxBackoffMs;

const retryAfterOf = (error: ProviderError): number =>
  error._tag === "ProviderUnavailable" ? (error.retryAfterMs ?? 0) : 0;

/**
 * Exponential backoff with jitter that waits at least as long as the provider's
 * `Retry-After`, retrying only what the adapter called retryable.
 */
export function retryPolicy(policy: DeliveryPolicy) {
  const backoff = Schedule.exponential(Duration.millis(policy.initialBackoffMs), 2).pipe(
    Schedule.jittered,
    Schedule.setInputType<ProviderError>(),
    Schedule.modifyDelay(({ duration, input }) =>
      Effect.succeed(
        Math.min(Math.max(Duration.toMillis(duration), retryAfterOf(input)), policy.maxBackoffMs),
      ),
    ),
  );
  return { schedule: backoff, times: policy.maxRetries, while: isRetryable(policy) } as const;
}

export type RetryPolicy = ReturnType<typeof retryPolicy>;

/** A resolved policy and its retry schedule, made once per policy rather than per send. */
export interface PreparedDeliveryPolicy {
  readonly policy: DeliveryPolicy;
  readonly retry: RetryPolicy;
}

const preparedByOverrides = new WeakMap<DeliveryPolicyOverrides, PreparedDeliveryPolicy>();
let preparedDefault: PreparedDeliveryPolicy | undefined;

/**
 * {@link resolveDeliveryPolicy} and {@link retryPolicy} of `overrides`, kept for as long as
 * that object lives: a server passes the same overrides to every send, and neither result
 * depends on anything else. Overrides changed in place after a first send are not seen, so
 * pass a new object to change the policy.
 */
export function preparedDeliveryPolicy(
  overrides: DeliveryPolicyOverrides | undefined,
): PreparedDeliveryPolicy {
  if (overrides === undefined) {
    preparedDefault ??= prepare(DEFAULT_DELIVERY_POLICY);
    return preparedDefault;
  }
  let prepared = preparedByOverrides.get(overrides);
  if (prepared === undefined) {
    prepared = prepare(resolveDeliveryPolicy(overrides));
    preparedByOverrides.set(overrides, prepared);
  }
  return prepared;
}

const prepare = (policy: DeliveryPolicy): PreparedDeliveryPolicy => ({
  policy,
  retry: retryPolicy(policy),
});
