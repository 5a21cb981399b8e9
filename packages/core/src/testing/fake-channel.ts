import type { ButtonMessage } from "../button-message.js";
import type { ChannelCapabilities } from "../capabilities.js";
import { type ProviderCode, ProviderRejected, ProviderUnavailable } from "../errors.js";
import { WHATSAPP_CLOUD_LIMITS } from "../limits.js";
import type { ChannelPort, SendContext, SendReceipt } from "../ports/channel.js";

/** How the fake provider answers one send. */
export type FakeAnswer =
  | { readonly kind: "accept" }
  | { readonly kind: "reject"; readonly providerCode?: ProviderCode; readonly message?: string }
  | {
      readonly kind: "unavailable";
      readonly retryable?: boolean;
      readonly retryAfterMs?: number;
      readonly providerCode?: ProviderCode;
      readonly message?: string;
      readonly deliveryUnknown?: boolean;
    }
  /**
   * Never answers until the send is aborted, then fails as an adapter does: delivery
   * unknown, as if the request had been written and the answer never came, or — with
   * `sent: false` — retryable with nothing sent, as if it never got a connection.
   */
  | { readonly kind: "hang"; readonly sent?: boolean }
  /** Rejects with a plain `Error`, as a buggy adapter would. */
  | { readonly kind: "crash"; readonly message?: string };

export interface FakeSend {
  readonly recipient: string;
  readonly message: ButtonMessage;
  readonly context: SendContext;
}

export interface FakeChannelOptions {
  readonly provider?: string;
  readonly capabilities?: Partial<ChannelCapabilities>;
}

const FULL_CAPABILITIES: ChannelCapabilities = {
  maxButtons: 3,
  limits: WHATSAPP_CLOUD_LIMITS,
  header: true,
  footer: true,
  buttonRendering: "native",
};

/**
 * An in-memory {@link ChannelPort}: accepts every message unless told otherwise with
 * {@link FakeChannel.answerNext}, and records what it was asked to send.
 */
export class FakeChannel implements ChannelPort {
  readonly provider: string;
  readonly capabilities: ChannelCapabilities;
  readonly sends: FakeSend[] = [];
  readonly accepted: string[] = [];
  readonly #script: FakeAnswer[] = [];
  #nextId = 1;

  constructor({ provider = "fake", capabilities = {} }: FakeChannelOptions = {}) {
    this.provider = provider;
    this.capabilities = { ...FULL_CAPABILITIES, ...capabilities };
  }

  /** Queues answers for the next sends, in order; then it accepts again. */
  answerNext(...answers: FakeAnswer[]): void {
    this.#script.push(...answers);
  }

  async send(
    recipient: string,
    message: ButtonMessage,
    context: SendContext,
  ): Promise<SendReceipt> {
    this.sends.push({ recipient, message, context });
    const answer = this.#script.shift() ?? { kind: "accept" };
    switch (answer.kind) {
      case "accept": {
        const providerMessageId = `${this.provider}-${this.#nextId++}`;
        this.accepted.push(providerMessageId);
        return { providerMessageId };
      }
      case "reject":
        throw new ProviderRejected({
          provider: this.provider,
          providerCode: answer.providerCode ?? 131009,
          message: answer.message ?? "the provider refused the message",
        });
      case "unavailable":
        throw new ProviderUnavailable({
          provider: this.provider,
          retryable: answer.retryable ?? true,
          message: answer.message ?? "the provider is unavailable",
          ...(answer.providerCode === undefined ? {} : { providerCode: answer.providerCode }),
          ...(answer.retryAfterMs === undefined ? {} : { retryAfterMs: answer.retryAfterMs }),
          ...(answer.deliveryUnknown === undefined
            ? {}
            : { deliveryUnknown: answer.deliveryUnknown }),
        });
      case "hang":
        return new Promise<never>((_, reject) => {
          const sent = answer.sent ?? true;
          context.signal.addEventListener("abort", () =>
            reject(
              new ProviderUnavailable({
                provider: this.provider,
                retryable: true,
                ...(sent ? { deliveryUnknown: true } : {}),
                message: sent
                  ? "the send was abandoned before the provider answered"
                  : "the send was abandoned before it was sent",
              }),
            ),
          );
        });
      case "crash":
        throw new Error(answer.message ?? "adapter bug");
    }
  }
}
