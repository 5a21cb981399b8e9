import {
  type ButtonMessage,
  type ButtonMessageInput,
  createButtonMessage,
  type SendContext,
} from "@replykit/core";
import type { RecordedRequest, WhatsAppSimulator } from "@replykit/provider-simulator";

/** A valid message, or the test fails loudly with the issues. */
export function buttonMessage(input: ButtonMessageInput): ButtonMessage {
  const built = createButtonMessage(input);
  if (!built.ok) throw new Error(`test fixture is invalid: ${JSON.stringify(built.issues)}`);
  return built.value;
}

export const buttons = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    id: `option-${index + 1}`,
    title: `Option ${index + 1}`,
  }));

export const sendContext = (signal: AbortSignal = new AbortController().signal): SendContext => ({
  requestId: "test-request",
  signal,
});

/** The rejection of a send that must fail. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the send to fail, but it succeeded");
}

/** Reads a nested property of a JSON value without caring about its static type. */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** The last request the simulator answered through its own logic (not `failNext`). */
export function lastOrganicRequest(simulator: WhatsAppSimulator): RecordedRequest | undefined {
  return [...simulator.received].reverse().find((request) => !request.injected);
}

/** The `wamid` of the simulator's last organic success answer. */
export function lastAcceptedMessageId(simulator: WhatsAppSimulator): string | undefined {
  const request = lastOrganicRequest(simulator);
  if (request?.response.kind !== "response" || request.response.status !== 200) return undefined;
  const id = at(request.response.body, "messages", 0, "id");
  return typeof id === "string" ? id : undefined;
}

/** Every way an error can be rendered into a log or an API answer. */
export function renderings(error: unknown): string {
  return [
    String(error),
    JSON.stringify(error),
    error instanceof Error ? error.message : "",
    error instanceof Error ? (error.stack ?? "") : "",
  ].join("\n");
}
