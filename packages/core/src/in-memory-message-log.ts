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
 * What the log keeps of a message, in as few objects as it can: every message kept outlives
 * many young-generation collections, is copied by them and marked by every full one, and a
 * full log holds 50 000 (see DESIGN.md). One object, with the time as a number and the
 * buttons as one string (the JSON of their ids and titles, in turn) rather than a list of
 * objects or strings; a {@link MessageRecord} is made of it when it is read.
 */
interface Kept extends Omit<SentMessage, "buttons" | "sentAt"> {
  /** `["id","title","id","title",…]`, as JSON. */
  readonly buttons: string;
  readonly sentAt: number;
  status?: StatusUpdate["status"];
  statusAt?: Date;
  error?: StatusUpdate["error"];
  replies: readonly RecordedReply[];
}

function buttonsText(buttons: SentMessage["buttons"]): string {
  const flat: string[] = [];
  for (const { id, title } of buttons) flat.push(id, title);
  return JSON.stringify(flat);
}

const buttonsOf = (text: string): string[] => JSON.parse(text) as string[];

// Field by field, not spread: the same shape for every message, made in a few µs.
const keep = (message: SentMessage): Kept => ({
  messageId: message.messageId,
  providerMessageId: message.providerMessageId,
  provider: message.provider,
  organizationId: message.organizationId,
  connectionId: message.connectionId,
  conversationId: message.conversationId,
  recipient: message.recipient,
  buttons: buttonsText(message.buttons),
  sentAt: message.sentAt.getTime(),
  replies: NO_REPLIES,
});

/** The record as it is now, a copy of its own. */
function recordOf({ buttons, sentAt, replies, ...fields }: Kept): MessageRecord {
  const flat = buttonsOf(buttons);
  const pairs = [];
  for (let index = 0; index < flat.length; index += 2) {
    pairs.push({ id: flat[index] as string, title: flat[index + 1] as string });
  }
  return { ...fields, buttons: pairs, sentAt: new Date(sentAt), replies: [...replies] };
}

const hasButton = ({ buttons }: Kept, buttonId: string): boolean =>
  buttonsOf(buttons).some((value, index) => index % 2 === 0 && value === buttonId);

/**
 * A single-process message log, bounded in size: for tests, the demo and one-instance
 * deployments. A fleet needs a shared log (PostgreSQL) behind the same port.
 */
export class InMemoryMessageLog implements MessageLog {
  // In insertion (send) order, so the oldest is the first to forget.
  readonly #byId = new Map<string, Kept>();
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
    this.#byId.set(message.messageId, keep(message));
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
    const kept = this.#byId.get(messageId);
    return kept === undefined ? undefined : recordOf(kept);
  }

  async findByProviderMessageId(
    connectionId: string,
    providerMessageId: string,
  ): Promise<MessageRecord | undefined> {
    const kept = this.#kept(connectionId, providerMessageId);
    return kept === undefined ? undefined : recordOf(kept);
  }

  async findLatestWithButton(
    connectionId: string,
    recipient: string,
    buttonId: string,
  ): Promise<MessageRecord | undefined> {
    let latest: Kept | undefined;
    for (const message of this.#byId.values()) {
      if (
        message.connectionId === connectionId &&
        sameRecipient(message.recipient, recipient) &&
        hasButton(message, buttonId) &&
        (latest === undefined || message.sentAt >= latest.sentAt)
      ) {
        latest = message;
      }
    }
    return latest === undefined ? undefined : recordOf(latest);
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
    return recordOf(message);
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

  #kept(connectionId: string, providerMessageId: string): Kept | undefined {
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
