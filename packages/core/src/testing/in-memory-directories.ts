import type { Agent, AgentDirectory } from "../ports/agent-directory.js";
import type { ChannelPort } from "../ports/channel.js";
import type { ChannelDirectory } from "../ports/channel-directory.js";
import type { Conversation, ConversationDirectory } from "../ports/conversation-directory.js";

export class InMemoryAgentDirectory implements AgentDirectory {
  readonly #agents = new Map<string, Agent>();

  constructor(agents: Iterable<Agent> = []) {
    for (const agent of agents) this.add(agent);
  }

  add(agent: Agent): void {
    this.#agents.set(agent.id, agent);
  }

  async findAgent(agentId: string): Promise<Agent | undefined> {
    return this.#agents.get(agentId);
  }
}

export class InMemoryConversationDirectory implements ConversationDirectory {
  readonly #conversations = new Map<string, Conversation>();

  constructor(conversations: Iterable<Conversation> = []) {
    for (const conversation of conversations) this.add(conversation);
  }

  add(conversation: Conversation): void {
    this.#conversations.set(conversation.id, conversation);
  }

  async findConversation(conversationId: string): Promise<Conversation | undefined> {
    return this.#conversations.get(conversationId);
  }
}

export class InMemoryChannelDirectory implements ChannelDirectory {
  readonly #channels = new Map<string, ChannelPort>();

  constructor(channels: Readonly<Record<string, ChannelPort>> = {}) {
    for (const [connectionId, channel] of Object.entries(channels)) this.add(connectionId, channel);
  }

  add(channelConnectionId: string, channel: ChannelPort): void {
    this.#channels.set(channelConnectionId, channel);
  }

  async findChannel(channelConnectionId: string): Promise<ChannelPort | undefined> {
    return this.#channels.get(channelConnectionId);
  }
}
