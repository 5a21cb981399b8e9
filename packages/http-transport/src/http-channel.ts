import {
  type ButtonMessage,
  type ChannelCapabilities,
  type ChannelDriver,
  type ChannelPort,
  type DriverOptionsSchema,
  isProviderError,
  type ProviderError,
  type SendReceipt,
} from "@replykit/core";
import * as z from "zod/mini";
import { parseAdapterOptions, transportOption } from "./adapter-options.js";
import { fetchTransport } from "./fetch-transport.js";
import { type JsonAnswer, postJson } from "./post-json.js";
import { type Redact, redactor } from "./provider-text.js";
import type { HttpTransport } from "./transport.js";

/** What the runtime gives every HTTP driver's channels. */
export interface HttpDriverEnv {
  /** How requests are sent. Default `fetchTransport()`; on Node, `undiciTransport()`. */
  readonly transport?: HttpTransport | undefined;
}

/** One provider's HTTP send, as data: everything that differs between providers. */
export interface HttpChannelSpec {
  readonly provider: string;
  readonly capabilities: ChannelCapabilities;
  /** The send endpoint, credentials in its path included (it goes to the transport only). */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly transport?: HttpTransport | undefined;
  /** Values a provider may echo back (tokens, ids in the URL): blanked out of quoted text. */
  readonly secrets: readonly string[];
  /** A refusal, before anything is sent, of a message this channel cannot carry as is. */
  readonly refuse?: (message: ButtonMessage) => ProviderError | undefined;
  /** The message as the provider's JSON body (`wire.ts`). */
  readonly toRequestBody: (recipient: string, message: ButtonMessage) => unknown;
  /** The provider's answer as a receipt or a typed error (`answer.ts`). */
  readonly readAnswer: (answer: JsonAnswer, redact: Redact) => SendReceipt | ProviderError;
}

/**
 * The skeleton every HTTP provider shares: post the message's body, read the answer, and
 * resolve with the receipt or reject with the provider error — credentials scrubbed from
 * any provider text (the redactor is built once per channel).
 */
export function createHttpChannel(spec: HttpChannelSpec): ChannelPort {
  const redact = redactor(spec.secrets);
  const transport = spec.transport ?? fetchTransport();
  const headers = Object.freeze({ ...spec.headers });
  return {
    provider: spec.provider,
    capabilities: spec.capabilities,
    signalOnDemand: true,
    async send(recipient, message, context) {
      const refusal = spec.refuse?.(message);
      if (refusal !== undefined) throw refusal;
      const answer = await postJson({
        provider: spec.provider,
        transport,
        url: spec.url,
        headers,
        json: spec.toRequestBody(recipient, message),
        timeoutMs: spec.timeoutMs,
        // Read only if the transport needs an AbortSignal (`ChannelPort.signalOnDemand`).
        signal: () => context.signal,
        cancellation: context.cancellation,
        signalTimeoutMs: context.signalTimeoutMs,
      });
      const outcome = spec.readAnswer(answer, redact);
      if (isProviderError(outcome)) throw outcome;
      return outcome;
    },
  };
}

/** The options of an HTTP driver's factory: the driver's own, plus the transport. */
export type HttpChannelOptions<Schema extends DriverOptionsSchema> = z.input<Schema> & {
  /**
   * How requests are sent. Default `fetchTransport()` (the global `fetch`, every runtime);
   * on Node, `undiciTransport()` from `@replykit/http-transport/undici` pools connections.
   */
  readonly transport?: HttpTransport;
};

/**
 * A plain factory for a driver's channel, for code that wires channels by hand:
 * `createWhatsAppChannel({ accessToken, phoneNumberId })`. It checks the options with the
 * driver's own schema and throws one `Error` naming `factoryName` and every problem.
 */
export function httpChannelFactory<Schema extends DriverOptionsSchema>(
  factoryName: string,
  driver: ChannelDriver<string, Schema, HttpDriverEnv>,
): (options: HttpChannelOptions<Schema>) => ChannelPort {
  // One schema, so that one error lists the transport's problem with the driver's own.
  // `z.extend` takes any zod object (a `zod` one too); its type asks for a zod/mini one.
  const schema = z.extend(driver.options as unknown as z.ZodMiniObject, {
    transport: transportOption(),
  });
  return (options) => {
    const { transport, ...rest } = parseAdapterOptions(factoryName, schema, options) as {
      transport: HttpTransport;
    } & z.output<Schema>;
    return driver.create(rest as z.output<Schema>, { transport });
  };
}
