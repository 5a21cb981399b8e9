// The same suites the in-memory stores pass (`@replykit/core/conformance`), run against
// PostgreSQL: each test gets emptied tables in this file's own schema.
import {
  directoryConformance,
  idempotencyStoreConformance,
  messageLogConformance,
  webhookDeduplicationConformance,
} from "@replykit/core/conformance";
import { afterAll, beforeAll } from "vitest";
import { type ScratchDatabase, scratchDatabase } from "./database.js";

let database: ScratchDatabase;
beforeAll(async () => {
  database = await scratchDatabase();
});
afterAll(async () => database?.drop());

const emptied = async (tables: string) => {
  const store = database.open();
  await store.sql.unsafe(`TRUNCATE ${tables}`);
  return store;
};

idempotencyStoreConformance("PostgresIdempotencyStore", async ({ ttlMs, clock }) => {
  await emptied("replykit_idempotency_keys");
  // A lease longer than the TTL: the suite's clock moves by hand while the heartbeat runs on
  // real time, and leases have tests of their own (idempotency-store.test.ts).
  const store = database.open({ clock, idempotency: { ttlMs, leaseMs: ttlMs * 10 } });
  return { store: store.idempotency, close: () => store.close(1) };
});

messageLogConformance("PostgresMessageLog", async () => {
  const store = database.open();
  return { log: store.messageLog, close: () => store.close(1) };
});

webhookDeduplicationConformance("PostgresWebhookDeduplication", async ({ ttlMs, clock }) => {
  await emptied("replykit_webhook_events");
  const store = database.open({ clock, webhookDeduplication: { ttlMs } });
  return { deduplication: store.webhookDeduplication, close: () => store.close(1) };
});

directoryConformance("PostgresDirectories", async (seed) => {
  const store = await emptied(
    "replykit_conversations, replykit_channel_connections, replykit_agents, replykit_api_keys, replykit_organizations",
  );
  const organizations = new Set(
    [...seed.agents, ...seed.conversations].map((entry) => entry.organizationId),
  );
  for (const id of organizations) await store.admin.addOrganization({ id });
  for (const agent of seed.agents) await store.admin.addAgent(agent);
  for (const conversation of seed.conversations) {
    await store.admin.putChannelConnection({
      id: conversation.channelConnectionId,
      organizationId: conversation.organizationId,
      provider: "whatsapp",
      options: {},
    });
    await store.admin.addConversation(conversation);
  }
  return {
    agents: store.directories,
    conversations: store.directories,
    close: () => store.close(1),
  };
});
