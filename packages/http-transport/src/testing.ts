// The fixtures every HTTP adapter's tests build, kept in one place so the adapters' tests
// state the same things the same way. A separate entry, `@replykit/http-transport/testing`:
// no channel needs it at run time.

import {
  type ButtonMessage,
  type ButtonMessageInput,
  createButtonMessage,
  type SendContext,
} from "@replykit/core";
import type { JsonAnswer } from "./post-json.js";

/** A valid message, or the test fails loudly with the issues. */
export function buttonMessage(input: ButtonMessageInput): ButtonMessage {
  const built = createButtonMessage(input);
  if (!built.ok) throw new Error(`test fixture is invalid: ${JSON.stringify(built.issues)}`);
  return built.value;
}

/** What the use case passes to `send`, with a signal nobody aborts unless one is given. */
export const sendContext = (signal: AbortSignal = new AbortController().signal): SendContext => ({
  requestId: "test-request",
  signal,
});

/** The rejection of a send that must fail; the test fails if it succeeds. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the send to fail, but it succeeded");
}

/** An answer as `postJson` reads it, for testing an adapter's reading of answers alone. */
export const jsonAnswer = (status: number, body?: unknown, retryAfterMs?: number): JsonAnswer => ({
  status,
  body,
  retryAfterMs,
});

/**
 * Every way an error can be rendered into a log or an API answer, in one string: a test that
 * a credential never leaks checks them all.
 */
export function renderings(error: unknown): string {
  return [
    String(error),
    JSON.stringify(error),
    error instanceof Error ? error.message : "",
    error instanceof Error ? (error.stack ?? "") : "",
  ].join("\n");
}
