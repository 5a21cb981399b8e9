import { createServer } from "node:net";
import { createJsonLogger } from "@replykit/http-app";
import { undiciTransport } from "@replykit/http-transport/undici";
import {
  type FailNextOptions,
  type RecordedRequest,
  startProviderSimulator,
} from "@replykit/provider-simulator";
import { createConfiguredApp } from "../src/composition/configured-app.js";
import type { ServerConfig } from "../src/config/schema.js";
import {
  DEMO_AGENT_ID,
  DEMO_API_KEY,
  DEMO_CONVERSATIONS,
  DEMO_ORGANIZATION_ID,
  demoConfig,
} from "../src/demo/demo-config.js";

/**
 * Fault-injection harness: the composed app (config file → container → adapters) sending
 * through a real undici transport to the loopback provider simulators, whose `processed`
 * records count how many times each message was delivered.
 */

export type Provider = keyof typeof DEMO_CONVERSATIONS;

/** A conversation whose channel points at a port nobody listens on. */
export const REFUSED_CONVERSATION = "conv-refused";

/** The delivery policy the tests run with: short enough for a fast suite. */
export const FAST_DELIVERY = {
  attemptTimeoutMs: 300,
  maxRetries: 2,
  initialBackoffMs: 5,
  maxBackoffMs: 200,
} as const;

/** Longer than {@link FAST_DELIVERY}'s attempt timeout: the provider answers, too late. */
export const SLOW_ANSWER_MS = 700;

/** Every fault the tests inject, as the simulator is told to produce it. */
export const FAULTS = {
  /** Answers (successfully, having sent the message) after the attempt timeout. */
  slowAnswer: { latencyMs: SLOW_ANSWER_MS },
  /** Reads and processes the request, then resets the connection. */
  resetAfterRead: { reset: true },
  /** Resets as soon as the request arrives: nothing processed, but the client cannot know. */
  resetBeforeRead: { resetBeforeRead: true },
  /** 500 after passing the message on. */
  serverError500: { status: 500, processed: true },
  /** 500 before doing anything: from outside, the same as the one above. */
  serverError500NothingSent: { status: 500 },
  /** 502 from a proxy after the provider passed the message on. */
  badGateway502: { status: 502, processed: true },
  /** 503 with no Retry-After: a 5xx like any other. */
  unavailable503: { status: 503 },
  /** 503 with Retry-After, in the provider's envelope: it processed nothing, come back later. */
  unavailable503RetryAfter: { status: 503, retryAfterSeconds: 0 },
  /**
   * A load balancer's plain 503 with Retry-After in front of the provider. (On WhatsApp, a 503
   * in Meta's envelope carries code 2, which Meta documents as "may have been sent".)
   */
  loadBalancer503RetryAfter: { status: 503, retryAfterSeconds: 0, body: "Service Unavailable" },
  /** 429 with Retry-After. */
  tooManyRequests429: { status: 429, retryAfterSeconds: 0 },
  /** Meta's throughput rate limit (HTTP 429). */
  meta130429: { errorCode: 130429 },
  /** Meta's pair rate limit (HTTP 400). */
  meta131056: { errorCode: 131056 },
  /** Meta's application rate limit (HTTP 429). */
  meta4: { errorCode: 4 },
  /** Meta's WhatsApp Business Account rate limit (HTTP 429). */
  meta80007: { errorCode: 80007 },
  /** 200 with a body of the wrong shape: the provider most likely sent it. */
  unexpected2xx: { status: 200, body: { accepted: true } },
} as const satisfies Record<string, FailNextOptions>;

export type FaultKind = keyof typeof FAULTS;

export interface SendOptions {
  readonly provider?: Provider;
  readonly conversationId?: string;
  readonly idempotencyKey?: string;
}

export interface SendAnswer {
  readonly status: number;
  readonly body: {
    readonly messageId?: string;
    readonly error?: {
      readonly code?: string;
      readonly requestId?: string;
      readonly deliveryUnknown?: boolean;
      readonly retryable?: boolean;
    };
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

let markers = 0;
/** A text unique to one message, found in its raw body whatever the provider's wire format. */
export function newMarker(label = "m"): string {
  markers += 1;
  return `[${label}-${markers}]`;
}

export async function startFaultHarness(delivery: ServerConfig["delivery"] = FAST_DELIVERY) {
  const simulators = await startProviderSimulator();
  const transport = undiciTransport();
  const logLines: string[] = [];
  const base = await demoConfig(simulators);
  const refusedPort = await freePort();
  const config: ServerConfig = {
    ...base,
    channelConnections: [
      ...base.channelConnections,
      {
        id: "refused-whatsapp",
        organizationId: DEMO_ORGANIZATION_ID,
        provider: "whatsapp",
        baseUrl: `http://127.0.0.1:${refusedPort}`,
        accessToken: "refused-token",
        phoneNumberId: "1000",
      },
    ],
    conversations: [
      ...base.conversations,
      {
        id: REFUSED_CONVERSATION,
        organizationId: DEMO_ORGANIZATION_ID,
        channelConnectionId: "refused-whatsapp",
        recipient: "5511999990009",
      },
    ],
    ...(delivery === undefined ? {} : { delivery }),
  };
  const app = createConfiguredApp(config, {
    transport,
    logger: createJsonLogger({ write: (line) => logLines.push(line), level: "debug" }),
  });

  const all = (): RecordedRequest[] => [
    ...simulators.whatsapp.received,
    ...simulators.zapi.received,
    ...simulators.zapper.received,
  ];
  const about = (marker: string) => all().filter((request) => request.rawBody.includes(marker));

  return {
    simulators,
    logLines,
    /** The simulator of a provider, to queue faults on. */
    provider: (name: Provider) => simulators[name],
    /** Sends one message whose body text carries `marker`; never throws for an HTTP status. */
    async send(marker: string, options: SendOptions = {}): Promise<SendAnswer> {
      const conversationId =
        options.conversationId ?? DEMO_CONVERSATIONS[options.provider ?? "whatsapp"];
      const response = await app.request("/messages/interactive/send-buttons", {
        method: "POST",
        headers: {
          authorization: `Bearer ${DEMO_API_KEY}`,
          "content-type": "application/json",
          ...(options.idempotencyKey === undefined
            ? {}
            : { "idempotency-key": options.idempotencyKey }),
        },
        body: JSON.stringify({
          agentId: DEMO_AGENT_ID,
          conversationId,
          body_text: `Did your order arrive? ${marker}`,
          button_1_id: "yes",
          button_1_title: "Yes",
          button_2_id: "no",
          button_2_title: "No",
        }),
      });
      return { status: response.status, body: (await response.json()) as SendAnswer["body"] };
    },
    /**
     * Requests that reached any provider since the simulators were last reset: for tests of
     * one message, since a request reset before its body was read carries no marker.
     */
    requests: () =>
      simulators.whatsapp.counts().received +
      simulators.zapi.counts().received +
      simulators.zapper.counts().received,
    /** Requests that reached a provider with a body carrying `marker`. */
    requestsFor: (marker: string) => about(marker).length,
    /** How many times a provider processed (delivered) the message carrying `marker`. */
    deliveries: (marker: string) => about(marker).filter((request) => request.processed).length,
    /** Attempts the use case logged as failed for one request id. */
    failedAttempts(requestId: string | undefined): number {
      return logLines.filter((line) => {
        const entry = JSON.parse(line) as { event?: string; requestId?: string };
        return entry.event === "send_buttons.attempt_failed" && entry.requestId === requestId;
      }).length;
    },
    async close() {
      await transport.close();
      await simulators.close();
    },
  };
}

export type FaultHarness = Awaited<ReturnType<typeof startFaultHarness>>;
