import type { ReplyButton } from "../button-message.js";
import type { DeliveryState } from "../inbound/events.js";

/** A message replykit sent, as the log records it at once. */
export interface SentMessage {
  /** replykit's own id (`SendButtonsResult.messageId`). */
  readonly messageId: string;
  readonly providerMessageId: string;
  readonly provider: string;
  readonly organizationId: string;
  readonly connectionId: string;
  readonly conversationId: string;
  readonly recipient: string;
  readonly buttons: readonly ReplyButton[];
  readonly sentAt: Date;
}

/** A tap on one of the message's buttons. */
export interface RecordedReply {
  readonly providerEventId: string;
  readonly buttonId: string;
  readonly buttonTitle?: string | undefined;
  readonly from: string;
  readonly at: Date;
}

/** A sent message with what was heard back since: its latest status and its replies. */
export interface MessageRecord extends SentMessage {
  readonly status?: DeliveryState | undefined;
  readonly statusAt?: Date | undefined;
  readonly error?: { readonly code: string; readonly message: string } | undefined;
  readonly replies: readonly RecordedReply[];
}

/**
 * Every message sent, and what became of it: what lets a tap and a status be matched to the
 * message they answer. Implementations keep statuses moving forward only (`movesForward`)
 * and a reply once per `providerEventId`.
 */
export interface MessageLog {
  record(message: SentMessage): Promise<void>;
  find(messageId: string): Promise<MessageRecord | undefined>;
  findByProviderMessageId(
    connectionId: string,
    providerMessageId: string,
  ): Promise<MessageRecord | undefined>;
  /** The most recent message to `recipient` on the connection with a button of that id. */
  findLatestWithButton(
    connectionId: string,
    recipient: string,
    buttonId: string,
  ): Promise<MessageRecord | undefined>;
  /** Moves the message's status on if `status` is further along; the record after it. */
  applyStatus(
    connectionId: string,
    providerMessageId: string,
    update: {
      readonly status: DeliveryState;
      readonly at: Date;
      readonly error?: { readonly code: string; readonly message: string } | undefined;
    },
  ): Promise<MessageRecord | undefined>;
  addReply(messageId: string, reply: RecordedReply): Promise<void>;
}
