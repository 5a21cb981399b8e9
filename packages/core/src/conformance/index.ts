// `@replykit/core/conformance`: the suites every ChannelPort, every driver's inbound side and
// every stateful store (idempotency, message log, webhook deduplication) pass. They are
// vitest suites and import vitest and fast-check (optional peer dependencies); the in-memory
// ports stay in `@replykit/core/testing`, which imports no test framework.
export {
  type ChannelUnderTest,
  channelConformance,
  type ProviderControl,
} from "./channel-conformance.js";
export {
  type DirectoriesUnderTest,
  type DirectorySeed,
  directoryConformance,
} from "./directory-conformance.js";
export {
  type ExpiringStoreOptions,
  type IdempotencyStoreUnderTest,
  idempotencyStoreConformance,
} from "./idempotency-store-conformance.js";
export {
  type InboundFixture,
  type InboundUnderTest,
  inboundConformance,
  type WebhookRequestInit,
  webhookRequest,
} from "./inbound-conformance.js";
export { type MessageLogUnderTest, messageLogConformance } from "./message-log-conformance.js";
export {
  type WebhookDeduplicationUnderTest,
  webhookDeduplicationConformance,
} from "./webhook-deduplication-conformance.js";
