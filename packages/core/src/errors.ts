import { Data } from "effect";
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
 * The idempotency key is in use by a request still running, or was first used for a
 * different request. Retrying later (first case) or using a fresh key (second) resolves it.
 */
export class IdempotencyConflict extends Data.TaggedError("IdempotencyConflict")<{
  readonly reason: "in_progress" | "different_request";
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
 * The provider could not be reached or asked us to slow down. `retryable` is the adapter's
 * judgement that sending again is safe; `retryAfterMs` carries the provider's `Retry-After`.
 */
export class ProviderUnavailable extends Data.TaggedError("ProviderUnavailable")<{
  readonly provider: string;
  readonly providerCode?: ProviderCode;
  readonly httpStatus?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
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

export const isProviderError = (error: unknown): error is ProviderError =>
  error instanceof ProviderRejected || error instanceof ProviderUnavailable;
