import {
  type ButtonMessage,
  type ButtonMessageInput,
  createButtonMessage,
} from "../button-message.js";
import type { SendContext } from "../ports/channel.js";

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
