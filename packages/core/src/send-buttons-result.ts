export interface SendButtonsResult {
  /** replykit's own id for the message. */
  readonly messageId: string;
  readonly providerMessageId: string;
  readonly provider: string;
  readonly conversationId: string;
  /** The provider accepted the message; delivery and reads are reported later by webhooks. */
  readonly status: "sent";
}
