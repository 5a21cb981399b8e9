import type {
  Agent,
  AgentDirectory,
  ChannelDirectory,
  ChannelPort,
  Conversation,
  ConversationDirectory,
} from "@replykit/core";

/** Agents and conversations fixed at start, from the configuration file. */
export class ConfigAgentDirectory implements AgentDirectory {
  readonly #agents: ReadonlyMap<string, Agent>;

  constructor(agents: readonly Agent[]) {
    this.#agents = new Map(
      agents.map((agent) => [agent.id, { id: agent.id, organizationId: agent.organizationId }]),
    );
  }

  async findAgent(agentId: string): Promise<Agent | undefined> {
    return this.#agents.get(agentId);
  }
}

export class ConfigConversationDirectory implements ConversationDirectory {
  readonly #conversations: ReadonlyMap<string, Conversation>;

  constructor(conversations: readonly Conversation[]) {
    this.#conversations = new Map(
      conversations.map((conversation) => [conversation.id, conversation]),
    );
  }

  async findConversation(conversationId: string): Promise<Conversation | undefined> {
    return this.#conversations.get(conversationId);
  }
}

export class ConfigChannelDirectory implements ChannelDirectory {
  readonly #channels: ReadonlyMap<string, ChannelPort>;

  constructor(channels: ReadonlyMap<string, ChannelPort>) {
    this.#channels = channels;
  }

  async findChannel(channelConnectionId: string): Promise<ChannelPort | undefined> {
    return this.#channels.get(channelConnectionId);
  }
}
