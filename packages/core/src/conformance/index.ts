// `@replykit/core/conformance`: the suites every ChannelPort and every driver's inbound side
// pass. They are vitest suites and import vitest and fast-check (optional peer dependencies);
// the in-memory ports stay in `@replykit/core/testing`, which imports no test framework.
export {
  type ChannelUnderTest,
  channelConformance,
  type ProviderControl,
} from "./channel-conformance.js";
export {
  type InboundFixture,
  type InboundUnderTest,
  inboundConformance,
  type WebhookRequestInit,
  webhookRequest,
} from "./inbound-conformance.js";
