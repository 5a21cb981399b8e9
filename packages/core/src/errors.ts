import * as Data from "effect/Data";
import type { Issue } from "./issue.js";

/** The bearer token is missing, malformed or not recognised. */
export class Unauthorized extends Data.TaggedError("Unauthorized")<{
  readonly reason: "missing_token" | "invalid_token";
  readonly message: string;
}> {}

/** The message breaks the domain's invariants or the chosen channel's capabilities. */
export class InvalidMessage extends Data.TaggedError("InvalidMessage")<{
  readonly issues: readonly Issue[];
  readonly message: string;
}> {}

export class AgentNotFound extends Data.TaggedError("AgentNotFound")<{
  readonly agentId: string;
  readonly message: string;
}> {}

/** Also returned for another organization's conversation, so existence never leaks. */
export class ConversationNotFound extends Data.TaggedError("ConversationNotFound")<{
  readonly conversationId: string;
  readonly message: string;
}> {}

/** The agent belongs to another organization than the caller's. */
export class Forbidden extends Data.TaggedError("Forbidden")<{
  readonly agentId: string;
  readonly message: string;
}> {}

/** The conversation's channel connection has no channel wired to it: a deployment error. */
export class ChannelNotConfigured extends Data.TaggedError("ChannelNotConfigured")<{
  readonly channelConnectionId: string;
  readonly message: string;
}> {}

/**
 * The idempotency key cannot serve this request: a request with it is still running
 * (`in_progress`: retry later), it was first used for another request
 * (`different_request`: use a fresh key), or its first request failed in a way that may
 * still have delivered the message (`outcome_unknown`: check before sending again under a
 * fresh key — sending under this one would risk exactly the duplicate it exists to prevent).
 */
export class IdempotencyConflict extends Data.TaggedError("IdempotencyConflict")<{
  readonly reason: "in_progress" | "different_request" | "outcome_unknown";
  readonly message: string;
}> {}

/** Provider error codes are numbers on Meta and strings on some others. */
export type ProviderCode = number | string;

/** The provider refused the message; sending it again unchanged will fail again. */
export class ProviderRejected extends Data.TaggedError("ProviderRejected")<{
  readonly provider: string;
  readonly providerCode?: ProviderCode;
  readonly httpStatus?: number;
  readonly message: string;
}> {
  readonly retryable = false;
}

/**
 * The provider could not be reached, failed, or asked us to slow down. `retryable` is the
 * adapter's judgement that sending again may succeed; `retryAfterMs` carries the provider's
 * `Retry-After`. `deliveryUnknown` says the request may have reached the provider and the
 * message may have been delivered (a timeout or reset after the request was written, a
 * 5xx, Meta's 131000): a retry may then show the customer the buttons twice.
 */
export class ProviderUnavailable extends Data.TaggedError("ProviderUnavailable")<{
  readonly provider: string;
  readonly providerCode?: ProviderCode;
  readonly httpStatus?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly deliveryUnknown?: boolean;
  readonly message: string;
}> {}

export type ProviderError = ProviderRejected | ProviderUnavailable;

export type SendButtonsError =
  | Unauthorized
  | InvalidMessage
  | AgentNotFound
  | ConversationNotFound
  | Forbidden
  | ChannelNotConfigured
  | IdempotencyConflict
  | ProviderRejected
  | ProviderUnavailable;

/**
 * By tag rather than `instanceof`, so that errors made by another copy of this package (two
 * versions installed side by side) are still recognised.
 */
export const isProviderError = (error: unknown): error is ProviderError => {
  const tag =
    typeof error === "object" && error !== null ? (error as { _tag?: unknown })._tag : undefined;
  return tag === "ProviderRejected" || tag === "ProviderUnavailable";
};
