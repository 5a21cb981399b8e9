export interface Agent {
  readonly id: string;
  readonly organizationId: string;
}

export interface AgentDirectory {
  findAgent(agentId: string): Promise<Agent | undefined>;
}
