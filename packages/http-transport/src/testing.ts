// The fixtures every HTTP adapter's tests build, kept in one place so the adapters' tests
// state the same things the same way. A separate entry, `@replykit/http-transport/testing`:
// no channel needs it at run time. The domain's fixtures are core's own, re-exported so
// that an adapter's tests and core's conformance suite build messages the same way. Like
// `@replykit/core/testing`, it loads no test framework.

import type { JsonAnswer } from "./post-json.js";

export { buttonMessage, failureOf, renderings, sendContext } from "@replykit/core/testing";

/** An answer as `postJson` reads it, for testing an adapter's reading of answers alone. */
export const jsonAnswer = (status: number, body?: unknown, retryAfterMs?: number): JsonAnswer => ({
  status,
  body,
  retryAfterMs,
});
