import { movesForward } from "./inbound/events.js";
import type { MessageLog, MessageRecord, RecordedReply, SentMessage } from "./ports/message-log.js";

export interface InMemoryMessageLogOptions {
  /** The most messages kept; past it the oldest is forgotten first. Default 50 000. */
  readonly maxMessages?: number;
}

/**
 * A single-process message log, bounded in size: for tests, the demo and one-instance
 * deployments. A fleet needs a shared log (PostgreSQL) behind the same port.
 */
export class InMemoryMessageLog implements MessageLog {
  // In insertion (send) order, so the oldest is the first to forget.
  readonly #byId = new Map<string, MessageRecord>();
  readonly #byProviderId = new Map<string, string>();
  readonly #maxMessages: number;
  // The ids in the order they were first recorded, the oldest kept at #oldest: the next to
  // forget is found without walking #byId from its start, which steps over every entry
  // deleted since the map last compacted (a record then cost 3–9 times more at the bound).
  #order: string[] = [];
  #oldest = 0;

  constructor({ maxMessages = 50_000 }: InMemoryMessageLogOptions = {}) {
    if (!Number.isSafeInteger(maxMessages) || maxMessages < 1) {
      throw new RangeError(`maxMessages must be a positive integer, not ${maxMessages}`);
    }
    this.#maxMessages = maxMessages;
  }

  async record(message: SentMessage): Promise<void> {
    // A message recorded again keeps its place, as in the map.
    if (!this.#byId.has(message.messageId)) this.#order.push(message.messageId);
    this.#byId.set(message.messageId, { ...message, replies: [] });
    this.#byProviderId.set(
      providerKey(message.connectionId, message.providerMessageId),
      message.messageId,
    );
    while (this.#byId.size > this.#maxMessages && this.#oldest < this.#order.length) {
      const messageId = this.#order[this.#oldest] as string;
      this.#oldest += 1;
      const oldest = this.#byId.get(messageId);
      if (oldest === undefined) continue;
      this.#byId.delete(messageId);
      this.#byProviderId.delete(providerKey(oldest.connectionId, oldest.providerMessageId));
    }
    if (this.#oldest >= this.#maxMessages) {
      this.#order = this.#order.slice(this.#oldest);
      this.#oldest = 0;
    }
  }

  async find(messageId: string): Promise<MessageRecord | undefined> {
    return this.#byId.get(messageId);
  }

  async findByProviderMessageId(
    connectionId: string,
    providerMessageId: string,
  ): Promise<MessageRecord | undefined> {
    const messageId = this.#byProviderId.get(providerKey(connectionId, providerMessageId));
    return messageId === undefined ? undefined : this.#byId.get(messageId);
  }

  async findLatestWithButton(
    connectionId: string,
    recipient: string,
    buttonId: string,
  ): Promise<MessageRecord | undefined> {
    let latest: MessageRecord | undefined;
    for (const message of this.#byId.values()) {
      if (
        message.connectionId === connectionId &&
        sameRecipient(message.recipient, recipient) &&
        message.buttons.some((button) => button.id === buttonId) &&
        (latest === undefined || message.sentAt >= latest.sentAt)
      ) {
        latest = message;
      }
    }
    return latest;
  }

  async applyStatus(
    connectionId: string,
    providerMessageId: string,
    update: Parameters<MessageLog["applyStatus"]>[2],
  ): Promise<MessageRecord | undefined> {
    const message = await this.findByProviderMessageId(connectionId, providerMessageId);
    if (message === undefined) return undefined;
    if (!movesForward(message.status, update.status)) return message;
    const updated: MessageRecord = {
      ...message,
      status: update.status,
      statusAt: update.at,
      ...(update.error === undefined ? {} : { error: update.error }),
    };
    this.#byId.set(message.messageId, updated);
    return updated;
  }

  async addReply(messageId: string, reply: RecordedReply): Promise<void> {
    const message = this.#byId.get(messageId);
    if (message === undefined) return;
    if (message.replies.some((known) => known.providerEventId === reply.providerEventId)) return;
    this.#byId.set(messageId, { ...message, replies: [...message.replies, reply] });
  }

  get size(): number {
    return this.#byId.size;
  }
}

const providerKey = (connectionId: string, providerMessageId: string) =>
  `${connectionId.length}:${connectionId}${providerMessageId}`;

/**
 * Whether two ways of writing a recipient name the same one: equal as given, or, for phone
 * numbers, equal digits (`+55 11 99999-0000` and Meta's `5511999990000`).
 */
export function sameRecipient(a: string, b: string): boolean {
  if (a === b) return true;
  const digits = phoneDigitsOf(a);
  return digits !== undefined && digits === phoneDigitsOf(b);
}

/**
 * The digits of a recipient written as a phone number (digits, spaces, `+().-`, at least six
 * digits), or `undefined` for any other address (a JID, a LID): what `sameRecipient` compares,
 * and what a store indexes to match the same way.
 */
export function phoneDigitsOf(recipient: string): string | undefined {
  if (!/^[\d\s+().-]+$/.test(recipient)) return undefined;
  const digits = recipient.replace(/\D/g, "");
  return digits.length >= 6 ? digits : undefined;
}
