export {
  InMemoryIdempotencyStore,
  type InMemoryIdempotencyStoreOptions,
} from "../in-memory-idempotency-store.js";
export {
  type FakeAnswer,
  FakeChannel,
  type FakeChannelOptions,
  type FakeSend,
} from "./fake-channel.js";
export { buttonMessage, failureOf, renderings, sendContext } from "./fixtures.js";
export { InMemoryAuthenticator } from "./in-memory-authenticator.js";
export {
  InMemoryAgentDirectory,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
} from "./in-memory-directories.js";
export { ManualClock } from "./manual-clock.js";
export { type LogEntry, RecordingLogger } from "./recording-logger.js";
