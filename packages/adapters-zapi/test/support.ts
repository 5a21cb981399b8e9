import type { ProviderControl } from "@replykit/core/conformance";
import type { ZapiSimulator } from "@replykit/provider-simulator";

/** The channel options that point at `simulator`. */
export const simulatorOptions = (simulator: ZapiSimulator) => ({
  baseUrl: simulator.baseUrl,
  instanceId: simulator.credentials.instanceId,
  instanceToken: simulator.credentials.token,
  clientToken: simulator.credentials.clientToken,
});

/** The `messageId` of the simulator's last answer that came from its Z-API logic. */
export function lastAcceptedMessageId(simulator: ZapiSimulator): string | undefined {
  const answered = simulator.received.filter(
    (request) =>
      !request.injected && request.response.kind === "response" && request.response.status === 200,
  );
  const last = answered.at(-1)?.response;
  if (last?.kind !== "response") return undefined;
  const body = last.body as { messageId?: unknown };
  return typeof body.messageId === "string" ? body.messageId : undefined;
}

/** The conformance suite's failure switches, as Z-API answers them. */
export function zapiControl(simulator: ZapiSimulator): ProviderControl {
  return {
    // A documented 400 with a body naming the problem: sending it again fails again.
    rejectNext: () =>
      simulator.failNext({
        status: 400,
        body: { error: "Bad Request", message: "buttonActions needs at least 1 button" },
      }),
    rateLimitNext: (seconds) =>
      simulator.failNext(seconds === undefined ? { status: 429 } : { retryAfterSeconds: seconds }),
    failNextWithServerError: () => simulator.failNext({ status: 503 }),
    resetNextConnection: () => simulator.failNext({ reset: true }),
    answerNextWithUnexpectedBody: () =>
      simulator.failNext({ status: 200, body: { something: "else" } }),
    delayNext: (milliseconds) => simulator.failNext({ latencyMs: milliseconds }),
    // Z-API's own envelope, quoting what it got, as it does with a wrong Client-Token.
    rejectNextQuoting: (text) =>
      simulator.failNext({ status: 400, body: { error: `Client-Token ${text} not allowed` } }),
  };
}
