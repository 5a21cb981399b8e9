import type { AnyChannelDriver } from "./channel-driver.js";
import type { AgentDirectory } from "./ports/agent-directory.js";
import type { Authenticator } from "./ports/authenticator.js";
import type { ChannelDirectory } from "./ports/channel-directory.js";
import type { Clock } from "./ports/clock.js";
import type { ConversationDirectory } from "./ports/conversation-directory.js";
import type { IdempotencyStore } from "./ports/idempotency-store.js";
import type { InboundEventHandler } from "./ports/inbound-event-handler.js";
import type { Logger } from "./ports/logger.js";
import type { MessageLog } from "./ports/message-log.js";
import type { WebhookDeduplication } from "./ports/webhook-deduplication.js";

/**
 * A symbol that names a port in a DI container and remembers the port's type, so that
 * `container.resolve(token)` is typed without core depending on any container.
 */
export type PortToken<Port> = symbol & { readonly __port?: Port };

const token = <Port>(name: string): PortToken<Port> => Symbol.for(`replykit.${name}`);

export const AuthenticatorToken = token<Authenticator>("Authenticator");
export const AgentDirectoryToken = token<AgentDirectory>("AgentDirectory");
export const ConversationDirectoryToken = token<ConversationDirectory>("ConversationDirectory");
export const ChannelDirectoryToken = token<ChannelDirectory>("ChannelDirectory");
export const IdempotencyStoreToken = token<IdempotencyStore>("IdempotencyStore");
export const ClockToken = token<Clock>("Clock");
export const LoggerToken = token<Logger>("Logger");
/** Registered once per driver (`container.register(ChannelDriverToken, { useValue })`), resolved with `resolveAll`. */
export const ChannelDriverToken = token<AnyChannelDriver>("ChannelDriver");
export const MessageLogToken = token<MessageLog>("MessageLog");
export const WebhookDeduplicationToken = token<WebhookDeduplication>("WebhookDeduplication");
export const InboundEventHandlerToken = token<InboundEventHandler>("InboundEventHandler");
