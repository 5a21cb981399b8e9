import type { SendContext } from "@replykit/core";
import { type ButtonMessage, type ButtonMessageInput, createButtonMessage } from "@replykit/core";

export function buttonMessage(input: ButtonMessageInput): ButtonMessage {
  const built = createButtonMessage(input);
  if (!built.ok) throw new Error(`test fixture is invalid: ${JSON.stringify(built.issues)}`);
  return built.value;
}

export const context = (signal: AbortSignal = new AbortController().signal): SendContext => ({
  requestId: "zapper-test",
  signal,
});

export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the send to fail, but it succeeded");
}
