import type { ChannelPort } from "@replykit/core";
import type { ChannelUnderTest } from "@replykit/core/conformance";
import type { HttpTransport } from "@replykit/http-transport";
import {
  type RecordedRequest,
  startZapperSimulator,
  type ZapperSimulator,
} from "@replykit/provider-simulator";
import { createZapperChannel, type ZapperChannelOptions } from "../src/index.js";

export const RECIPIENT = "5511999999999";

/** The message id in the simulator's answer to `request`, when it answered with success. */
export function acceptedMessageId(request: RecordedRequest | undefined): string | undefined {
  if (request === undefined || request.response.kind !== "response") return undefined;
  const { status, body } = request.response;
  if (status < 200 || status >= 300 || typeof body !== "object" || body === null) return undefined;
  const key = (body as { key?: unknown }).key;
  if (typeof key !== "object" || key === null) return undefined;
  const id = (key as { id?: unknown }).id;
  return typeof id === "string" ? id : undefined;
}

export function lastAccepted(simulator: ZapperSimulator): string | undefined {
  const real = simulator.received.filter((request) => !request.injected);
  return acceptedMessageId(real.at(-1));
}

export function channelFor(
  simulator: ZapperSimulator,
  options: Partial<ZapperChannelOptions> = {},
): ChannelPort {
  return createZapperChannel({
    instanceId: simulator.credentials.instanceId,
    apiKey: simulator.credentials.apiKey,
    baseUrl: simulator.baseUrl,
    ...options,
  });
}

/**
 * The conformance harness: a ZapperAPI channel over real HTTP to the simulator, with the
 * simulator's `failNext` standing in for ZapperAPI's misbehaviour.
 */
export async function simulatedZapper(
  transport?: HttpTransport,
  closeTransport?: () => Promise<void>,
): Promise<ChannelUnderTest> {
  const simulator = await startZapperSimulator();
  const channel = channelFor(simulator, transport === undefined ? {} : { transport });
  return {
    channel,
    recipient: RECIPIENT,
    secrets: [simulator.credentials.apiKey, simulator.credentials.instanceId],
    lastAcceptedMessageId: () => lastAccepted(simulator),
    provider: {
      // ZapperAPI documents no error codes: a Fastify validation error is the realistic refusal.
      rejectNext: () =>
        simulator.failNext({
          status: 400,
          body: {
            statusCode: 400,
            code: "FST_ERR_VALIDATION",
            error: "Bad Request",
            message: "body/jid must NOT have fewer than 1 characters",
          },
        }),
      rateLimitNext: (seconds) =>
        simulator.failNext(
          seconds === undefined ? { status: 429 } : { status: 429, retryAfterSeconds: seconds },
        ),
      failNextWithServerError: () => simulator.failNext({ status: 503 }),
      resetNextConnection: () => simulator.failNext({ reset: true }),
      answerNextWithUnexpectedBody: () =>
        simulator.failNext({ status: 200, body: { something: "else" } }),
      delayNext: (milliseconds) => simulator.failNext({ latencyMs: milliseconds }),
      // ZapperAPI's Fastify envelope, its message quoting what it got.
      rejectNextQuoting: (text) =>
        simulator.failNext({
          status: 400,
          body: { statusCode: 400, error: "Bad Request", message: `invalid x-api-key ${text}` },
        }),
    },
    async close() {
      await closeTransport?.();
      await simulator.close();
    },
  };
}
