// `@replykit/core/conformance`: the suite every ChannelPort passes. It is a vitest suite and
// imports vitest (an optional peer dependency); the in-memory ports stay in
// `@replykit/core/testing`, which imports no test framework.
export {
  type ChannelUnderTest,
  channelConformance,
  type ProviderControl,
} from "./channel-conformance.js";
