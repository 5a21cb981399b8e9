import type {
  AgentDirectory,
  Authenticator,
  ConversationDirectory,
  IdempotencyStore,
  MessageLog,
  WebhookDeduplication,
} from "@replykit/core";
import type { StoredConnectionSource } from "./stored-connections.js";

/**
 * The stateful ports kept outside the process (`@replykit/store-postgres`'s store fits it
 * as it is), shared by every instance on the same database.
 */
export interface SharedStores {
  readonly idempotency: IdempotencyStore;
  readonly messageLog: MessageLog;
  readonly webhookDeduplication: WebhookDeduplication;
  /** When given, agents, conversations, connections and API keys are looked up there. */
  readonly directories?: SharedDirectories | undefined;
}

export interface SharedDirectories
  extends AgentDirectory,
    ConversationDirectory,
    Authenticator,
    StoredConnectionSource {}
