import type { RecordedRequest, WhatsAppSimulator } from "@replykit/provider-simulator";

export const buttons = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    id: `option-${index + 1}`,
    title: `Option ${index + 1}`,
  }));

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
