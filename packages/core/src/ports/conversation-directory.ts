export interface Conversation {
  readonly id: string;
  readonly organizationId: string;
  /** Which provider connection (number, instance) the conversation runs on. */
  readonly channelConnectionId: string;
  /** The customer's address on that channel: a phone number in international form, a JID… */
  readonly recipient: string;
}

export interface ConversationDirectory {
  findConversation(conversationId: string): Promise<Conversation | undefined>;
}
