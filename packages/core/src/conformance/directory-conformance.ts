import { afterEach, describe, expect, it } from "vitest";
import type { Agent, AgentDirectory } from "../ports/agent-directory.js";
import type { Conversation, ConversationDirectory } from "../ports/conversation-directory.js";

/** What a directory under test is filled with before each test. */
export interface DirectorySeed {
  readonly agents: readonly Agent[];
  readonly conversations: readonly Conversation[];
}

export interface DirectoriesUnderTest {
  readonly agents: AgentDirectory;
  readonly conversations: ConversationDirectory;
  close?(): Promise<void>;
}

const SEED: DirectorySeed = {
  agents: [
    { id: "ana", organizationId: "acme" },
    { id: "bruno", organizationId: "globex" },
    { id: "agente-ção-🙂", organizationId: "acme" },
  ],
  conversations: [
    {
      id: "c-1",
      organizationId: "acme",
      channelConnectionId: "acme-wa",
      recipient: "5511999990000",
    },
    {
      id: "c-2",
      organizationId: "globex",
      channelConnectionId: "globex-zapi",
      recipient: "120363000000000000@g.us",
    },
  ],
};

/**
 * The behaviour every {@link AgentDirectory} and {@link ConversationDirectory} must have, as
 * a vitest suite: what was stored is found by its exact id, with exactly its fields, and
 * nothing else is. `setup` is called in each test with the entries to hold (and only those).
 */
export function directoryConformance(
  name: string,
  setup: (seed: DirectorySeed) => Promise<DirectoriesUnderTest>,
): void {
  describe(`Directory conformance: ${name}`, () => {
    let subject: DirectoriesUnderTest | undefined;
    const seeded = async () => {
      subject = await setup(SEED);
      return subject;
    };
    afterEach(async () => {
      await subject?.close?.();
      subject = undefined;
    });

    it("finds every agent by its id, with its organization and nothing more", async () => {
      const { agents } = await seeded();
      for (const agent of SEED.agents) expect(await agents.findAgent(agent.id)).toEqual(agent);
    });

    it("finds every conversation by its id, with its organization, connection and recipient", async () => {
      const { conversations } = await seeded();
      for (const conversation of SEED.conversations) {
        expect(await conversations.findConversation(conversation.id)).toEqual(conversation);
      }
    });

    it("finds nothing for an id it does not hold, however close to one it does", async () => {
      const { agents, conversations } = await seeded();
      for (const id of ["", "Ana", "ana ", " ana", "an", "anaa", "c-1", "agente-cao-🙂"]) {
        expect(await agents.findAgent(id)).toBeUndefined();
      }
      for (const id of ["", "C-1", "c-1 ", "c-", "c-10", "ana"]) {
        expect(await conversations.findConversation(id)).toBeUndefined();
      }
    });
  });
}
