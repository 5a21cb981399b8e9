import { movesForward } from "./inbound/events.js";
import type { MessageLog, MessageRecord, RecordedReply, SentMessage } from "./ports/message-log.js";

export interface InMemoryMessageLogOptions {
  /** The most messages kept; past it the oldest is forgotten first. Default 50 000. */
  readonly maxMessages?: number;
}

type StatusUpdate = Parameters<MessageLog["applyStatus"]>[2];

/** No replies yet: one list for every message without any. */
const NO_REPLIES: readonly RecordedReply[] = Object.freeze([]);

/**
 * What the log keeps of a message, as few objects as it can: every message kept outlives
 * many young-generation collections, and each object of it is copied by them (see
 * DESIGN.md). The buttons as one flat list of ids and titles, the time as a number; a
 * {@link MessageRecord} is made of it when it is read.
 */
class KeptMessage {
  status: StatusUpdate["status"] | undefined;
  statusAt: Date | undefined;
  error: StatusUpdate["error"];
  replies: readonly RecordedReply[] = NO_REPLIES;
  readonly messageId: string;
  readonly providerMessageId: string;
  readonly provider: string;
  readonly organizationId: string;
  readonly connectionId: string;
  readonly conversationId: string;
  readonly recipient: string;
  /** id, title, id, title, … */
  readonly buttons: readonly string[];
  readonly sentAt: number;

  constructor(message: SentMessage) {
    this.messageId = message.messageId;
    this.providerMessageId = message.providerMessageId;
    this.provider = message.provider;
    this.organizationId = message.organizationId;
    this.connectionId = message.connectionId;
    this.conversationId = message.conversationId;
    this.recipient = message.recipient;
    this.buttons = message.buttons.flatMap((button) => [button.id, button.title]);
    this.sentAt = message.sentAt.getTime();
  }

  hasButton(buttonId: string): boolean {
    return this.buttons.some((value, index) => index % 2 === 0 && value === buttonId);
  }

  /** The record as it is now, a copy of its own. */
  toRecord(): MessageRecord {
    const buttons = [];
    for (let index = 0; index < this.buttons.length; index += 2) {
      buttons.push({ id: this.buttons[index] as string, title: this.buttons[index + 1] as string });
    }
    return {
      messageId: this.messageId,
      providerMessageId: this.providerMessageId,
      provider: this.provider,
      organizationId: this.organizationId,
      connectionId: this.connectionId,
      conversationId: this.conversationId,
      recipient: this.recipient,
      buttons,
      sentAt: new Date(this.sentAt),
      ...(this.status === undefined ? {} : { status: this.status, statusAt: this.statusAt }),
      ...(this.error === undefined ? {} : { error: this.error }),
      replies: [...this.replies],
    };
  }
}

/**
 * A single-process message log, bounded in size: for tests, the demo and one-instance
 * deployments. A fleet needs a shared log (PostgreSQL) behind the same port.
 */
export class InMemoryMessageLog implements MessageLog {
  // In insertion (send) order, so the oldest is the first to forget.
  readonly #byId = new Map<string, KeptMessage>();
  /** Connection id → provider message id → message id. */
  readonly #byProviderId = new Map<string, Map<string, string>>();
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
    this.#byId.set(message.messageId, new KeptMessage(message));
    let onConnection = this.#byProviderId.get(message.connectionId);
    if (onConnection === undefined) {
      onConnection = new Map();
      this.#byProviderId.set(message.connectionId, onConnection);
    }
    onConnection.set(message.providerMessageId, message.messageId);
    while (this.#byId.size > this.#maxMessages && this.#oldest < this.#order.length) {
      const messageId = this.#order[this.#oldest] as string;
      this.#oldest += 1;
      const oldest = this.#byId.get(messageId);
      if (oldest === undefined) continue;
      this.#byId.delete(messageId);
      this.#byProviderId.get(oldest.connectionId)?.delete(oldest.providerMessageId);
    }
    if (this.#oldest >= this.#maxMessages) {
      this.#order = this.#order.slice(this.#oldest);
      this.#oldest = 0;
    }
  }

  async find(messageId: string): Promise<MessageRecord | undefined> {
    return this.#byId.get(messageId)?.toRecord();
  }

  async findByProviderMessageId(
    connectionId: string,
    providerMessageId: string,
  ): Promise<MessageRecord | undefined> {
    return this.#kept(connectionId, providerMessageId)?.toRecord();
  }

  async findLatestWithButton(
    connectionId: string,
    recipient: string,
    buttonId: string,
  ): Promise<MessageRecord | undefined> {
    let latest: KeptMessage | undefined;
    for (const message of this.#byId.values()) {
      if (
        message.connectionId === connectionId &&
        sameRecipient(message.recipient, recipient) &&
        message.hasButton(buttonId) &&
        (latest === undefined || message.sentAt >= latest.sentAt)
      ) {
        latest = message;
      }
    }
    return latest?.toRecord();
  }

  async applyStatus(
    connectionId: string,
    providerMessageId: string,
    update: StatusUpdate,
  ): Promise<MessageRecord | undefined> {
    const message = this.#kept(connectionId, providerMessageId);
    if (message === undefined) return undefined;
    if (movesForward(message.status, update.status)) {
      message.status = update.status;
      message.statusAt = update.at;
      if (update.error !== undefined) message.error = update.error;
    }
    return message.toRecord();
  }

  async addReply(messageId: string, reply: RecordedReply): Promise<void> {
    const message = this.#byId.get(messageId);
    if (message === undefined) return;
    if (message.replies.some((known) => known.providerEventId === reply.providerEventId)) return;
    message.replies = [...message.replies, reply];
  }

  get size(): number {
    return this.#byId.size;
  }

  #kept(connectionId: string, providerMessageId: string): KeptMessage | undefined {
    const messageId = this.#byProviderId.get(connectionId)?.get(providerMessageId);
    return messageId === undefined ? undefined : this.#byId.get(messageId);
  }
}

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
