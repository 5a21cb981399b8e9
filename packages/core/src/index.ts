export { AttemptAbort } from "./attempt-abort.js";
export {
  type ButtonMessage,
  type ButtonMessageInput,
  type ButtonMessageResult,
  type CreateButtonMessageOptions,
  createButtonMessage,
  type ReplyButton,
  type ReplyButtons,
} from "./button-message.js";
export { type ChannelCapabilities, checkCapabilities } from "./capabilities.js";
export {
  type AnyChannelDriver,
  type ChannelDriver,
  createChannel,
  type DriverOptionsSchema,
  defineChannelDriver,
} from "./channel-driver.js";
export {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  type DeliveryPolicyOverrides,
  resolveDeliveryPolicy,
} from "./delivery-policy.js";
export {
  AgentNotFound,
  ChannelNotConfigured,
  ConversationNotFound,
  Forbidden,
  IdempotencyConflict,
  InvalidMessage,
  isProviderError,
  type ProviderCode,
  type ProviderError,
  ProviderRejected,
  ProviderUnavailable,
  type SendButtonsError,
  Unauthorized,
} from "./errors.js";
export {
  DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
  InMemoryIdempotencyStore,
  type InMemoryIdempotencyStoreOptions,
} from "./in-memory-idempotency-store.js";
export {
  InMemoryMessageLog,
  type InMemoryMessageLogOptions,
  phoneDigitsOf,
  sameRecipient,
} from "./in-memory-message-log.js";
export {
  InMemoryWebhookDeduplication,
  type InMemoryWebhookDeduplicationOptions,
} from "./in-memory-webhook-deduplication.js";
export {
  type DeliveryState,
  type InboundEvent,
  type MatchedBy,
  movesForward,
  type ParsedInbound,
  STATUS_RANK,
} from "./inbound/events.js";
export type { InboundDriver, WebhookRequest } from "./inbound/inbound-driver.js";
export { hmacSha256Hex, timingSafeEqual } from "./inbound/webhook-crypto.js";
export {
  type Issue,
  type IssueCode,
  type IssuePath,
  TOO_MANY_BUTTONS_PROVIDER_CODE,
} from "./issue.js";
export { MAX_BUTTONS, type TextLimits, WHATSAPP_CLOUD_LIMITS } from "./limits.js";
export type { Agent, AgentDirectory } from "./ports/agent-directory.js";
export type { Authenticator, Principal } from "./ports/authenticator.js";
export type {
  Cancellation,
  CancellationListener,
  ChannelPort,
  SendContext,
  SendReceipt,
} from "./ports/channel.js";
export type { ChannelDirectory } from "./ports/channel-directory.js";
export type { Clock } from "./ports/clock.js";
export type { Conversation, ConversationDirectory } from "./ports/conversation-directory.js";
export type {
  IdempotencyClaim,
  IdempotencyKey,
  IdempotencyStore,
} from "./ports/idempotency-store.js";
export type { InboundEventHandler } from "./ports/inbound-event-handler.js";
export type { LogFields, Logger, LogLevel } from "./ports/logger.js";
export type {
  MessageLog,
  MessageRecord,
  RecordedReply,
  SentMessage,
} from "./ports/message-log.js";
export type { WebhookDeduplication } from "./ports/webhook-deduplication.js";
export {
  type ReceiveWebhookDeps,
  type ReceiveWebhookOutcome,
  receiveWebhook,
  type WebhookConnection,
  type WebhookConnectionDirectory,
} from "./receive-webhook.js";
export { REDACTED, type Redact, redactor } from "./redaction.js";
export { runSendButtons, type SendButtonsOutcome } from "./run-send-buttons.js";
export { type SendButtonsCommand, type SendButtonsDeps, sendButtons } from "./send-buttons.js";
export type { SendButtonsResult } from "./send-buttons-result.js";
export { systemClock } from "./system-clock.js";
export {
  AgentDirectoryToken,
  AuthenticatorToken,
  ChannelDirectoryToken,
  ChannelDriverToken,
  ClockToken,
  ConversationDirectoryToken,
  IdempotencyStoreToken,
  InboundEventHandlerToken,
  LoggerToken,
  MessageLogToken,
  type PortToken,
  WebhookDeduplicationToken,
} from "./tokens.js";
