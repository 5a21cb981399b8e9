import {
  directoryConformance,
  idempotencyStoreConformance,
  messageLogConformance,
  webhookDeduplicationConformance,
} from "../src/conformance/index.js";
import {
  InMemoryIdempotencyStore,
  InMemoryMessageLog,
  InMemoryWebhookDeduplication,
} from "../src/index.js";
import { InMemoryAgentDirectory, InMemoryConversationDirectory } from "../src/testing/index.js";

// The in-memory stores pass the suites a shared store (PostgreSQL) passes: what the one
// does, the other does, and the suites hold nothing the in-memory stores cannot meet.

idempotencyStoreConformance("InMemoryIdempotencyStore", async ({ ttlMs, clock }) => ({
  store: new InMemoryIdempotencyStore({ ttlMs, clock }),
}));

messageLogConformance("InMemoryMessageLog", async () => ({ log: new InMemoryMessageLog() }));

webhookDeduplicationConformance("InMemoryWebhookDeduplication", async ({ ttlMs, clock }) => ({
  deduplication: new InMemoryWebhookDeduplication({ ttlMs, clock }),
}));

directoryConformance("InMemoryAgentDirectory and InMemoryConversationDirectory", async (seed) => ({
  agents: new InMemoryAgentDirectory(seed.agents),
  conversations: new InMemoryConversationDirectory(seed.conversations),
}));
