import type { SentMessage } from "./http-server.js";

// The other direction: the simulators post webhooks, as their providers do, to a URL the
// caller gives (a replykit server's webhook route, or any test receiver).

/**
 * A webhook the simulator cannot build from what it was given (a message it never sent and
 * no `from`, a button the message does not have, a status the provider does not report…).
 * Nothing was posted.
 */
export class WebhookInputError extends Error {
  override readonly name = "WebhookInputError";
}

/** Where to post a webhook, and how long to wait for the answer. */
export interface WebhookTarget {
  /** The receiver's URL, secret path segment included when the provider authenticates so. */
  readonly url: string | URL;
  /** How long to wait for the receiver's answer. Default 10 000 ms. */
  readonly timeoutMs?: number;
}

/** One webhook posted, exactly as sent, and the receiver's answer. */
export interface WebhookDelivery {
  readonly url: string;
  /** The request headers as sent (lower-case names), signature included. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body bytes as sent (UTF-8): what a signature covers. */
  readonly rawBody: string;
  /** The body as a value (what `rawBody` encodes). */
  readonly body: unknown;
  /** The HTTP status the receiver answered. */
  readonly status: number;
  /** The receiver's answer body, as text. */
  readonly responseBody: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Posts `rawBody` with `headers` to the target and reads the answer. Rejects when no answer
 * came (refused connection, reset, timeout): a receiver's error status is an answer.
 */
export async function postWebhook(
  target: WebhookTarget,
  headers: Readonly<Record<string, string>>,
  rawBody: string,
  body: unknown,
): Promise<WebhookDelivery> {
  const url = new URL(target.url).href;
  const response = await fetch(url, {
    method: "POST",
    headers,
    body: rawBody,
    redirect: "manual",
    signal: AbortSignal.timeout(target.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  });
  const responseBody = await response.text();
  return { url, headers, rawBody, body, status: response.status, responseBody };
}

/**
 * Posts a delivered webhook again: the identical bytes and headers (signature included) to
 * the same URL, as a provider does when it did not get a timely 2xx.
 */
export function redeliverWebhook(
  delivery: WebhookDelivery,
  options: { readonly timeoutMs?: number } = {},
): Promise<WebhookDelivery> {
  return postWebhook(
    { url: delivery.url, ...(options.timeoutMs === undefined ? {} : options) },
    delivery.headers,
    delivery.rawBody,
    delivery.body,
  );
}

/** What a tap on a button of a recorded message needs, the caller's values first. */
export interface ResolvedTap {
  readonly from: string;
  readonly buttonTitle: string;
}

/**
 * The tapping user and the button's title: as given, else from the message the simulator
 * sent. Throws when neither says, or when the message has no such button and no title is
 * given (give `buttonTitle` to tap a button the recorded message does not have).
 */
export function resolveTap(
  provider: string,
  message: SentMessage | undefined,
  input: {
    readonly messageId: string;
    readonly buttonId: string;
    readonly buttonTitle?: string | undefined;
    readonly from?: string | undefined;
  },
): ResolvedTap {
  const from = input.from ?? message?.recipient;
  if (from === undefined) {
    throw new WebhookInputError(
      `${provider} simulator: message ${input.messageId} is not one it sent; give \`from\``,
    );
  }
  if (input.buttonTitle !== undefined) return { from, buttonTitle: input.buttonTitle };
  if (message === undefined) {
    throw new WebhookInputError(
      `${provider} simulator: message ${input.messageId} is not one it sent; give \`buttonTitle\``,
    );
  }
  const button = message.buttons.find((candidate) => candidate.id === input.buttonId);
  if (button === undefined) {
    const ids = message.buttons.map((candidate) => JSON.stringify(candidate.id)).join(", ");
    throw new WebhookInputError(
      `${provider} simulator: message ${input.messageId} has no button ${JSON.stringify(input.buttonId)} (it has ${ids || "none"}); give \`buttonTitle\` to tap it anyway`,
    );
  }
  return { from, buttonTitle: button.title };
}

/** The recipient of a status: as given, else the recorded message's. */
export function resolveRecipient(
  provider: string,
  message: SentMessage | undefined,
  messageId: string,
  given: string | undefined,
): string {
  const recipient = given ?? message?.recipient;
  if (recipient === undefined) {
    throw new WebhookInputError(
      `${provider} simulator: message ${messageId} is not one it sent; give the recipient`,
    );
  }
  return recipient;
}

/** Seconds since the epoch. */
export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);
