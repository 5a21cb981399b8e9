import {
  type DeliveryState,
  type MessageLog,
  type MessageRecord,
  phoneDigitsOf,
  type RecordedReply,
  type ReplyButton,
  type SentMessage,
  STATUS_RANK,
} from "@replykit/core";
import type { Sql } from "postgres";
import { deleteInBatches } from "./batches.js";

interface MessageRow {
  readonly message_id: string;
  readonly organization_id: string;
  readonly connection_id: string;
  readonly conversation_id: string;
  readonly provider: string;
  readonly provider_message_id: string;
  readonly recipient: string;
  readonly buttons: readonly ReplyButton[];
  readonly sent_at: Date;
  readonly status: DeliveryState | null;
  readonly status_at: Date | null;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly replies: readonly ReplyJson[];
}

/** A reply as `json_agg` gives it: times as text. */
interface ReplyJson {
  readonly providerEventId: string;
  readonly buttonId: string;
  readonly buttonTitle: string | null;
  readonly from: string;
  readonly at: string;
}

/**
 * The message log in PostgreSQL, shared by every instance: a status received by one
 * instance moves the message another sent. Statuses only move forward, enforced by the
 * `UPDATE`'s own condition, so two webhooks racing cannot move one back.
 */
export class PostgresMessageLog implements MessageLog {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async record(message: SentMessage): Promise<void> {
    const buttons = message.buttons.map((button) => ({ id: button.id, title: button.title }));
    await this.#sql`
      INSERT INTO replykit_messages (message_id, organization_id, connection_id, conversation_id,
        provider, provider_message_id, recipient, recipient_digits, buttons, button_ids, sent_at)
      VALUES (${message.messageId}, ${message.organizationId}, ${message.connectionId},
        ${message.conversationId}, ${message.provider}, ${message.providerMessageId},
        ${message.recipient}, ${phoneDigitsOf(message.recipient) ?? null},
        ${this.#sql.json(buttons)}, ${buttons.map((button) => button.id)}, ${message.sentAt})
      ON CONFLICT (message_id) DO NOTHING`;
  }

  async find(messageId: string): Promise<MessageRecord | undefined> {
    const [row] = await this.#sql<MessageRow[]>`
      ${this.#select()} WHERE m.message_id = ${messageId}`;
    return row === undefined ? undefined : toRecord(row);
  }

  async findByProviderMessageId(
    connectionId: string,
    providerMessageId: string,
  ): Promise<MessageRecord | undefined> {
    const [row] = await this.#sql<MessageRow[]>`
      ${this.#select()}
      WHERE m.connection_id = ${connectionId} AND m.provider_message_id = ${providerMessageId}
      ORDER BY m.seq DESC LIMIT 1`;
    return row === undefined ? undefined : toRecord(row);
  }

  async findLatestWithButton(
    connectionId: string,
    recipient: string,
    buttonId: string,
  ): Promise<MessageRecord | undefined> {
    const digits = phoneDigitsOf(recipient);
    // Two index-backed lookups (as written, and by phone digits), the later of the two kept.
    const [row] = await this.#sql<MessageRow[]>`
      ${this.#select()}
      WHERE m.message_id IN (
        (SELECT message_id FROM replykit_messages
          WHERE connection_id = ${connectionId} AND recipient = ${recipient}
            AND ${buttonId} = ANY(button_ids)
          ORDER BY sent_at DESC, seq DESC LIMIT 1)
        UNION ALL
        (SELECT message_id FROM replykit_messages
          WHERE ${digits ?? null}::text IS NOT NULL AND connection_id = ${connectionId}
            AND recipient_digits = ${digits ?? null} AND ${buttonId} = ANY(button_ids)
          ORDER BY sent_at DESC, seq DESC LIMIT 1))
      ORDER BY m.sent_at DESC, m.seq DESC LIMIT 1`;
    return row === undefined ? undefined : toRecord(row);
  }

  async applyStatus(
    connectionId: string,
    providerMessageId: string,
    update: Parameters<MessageLog["applyStatus"]>[2],
  ): Promise<MessageRecord | undefined> {
    const target = await this.findByProviderMessageId(connectionId, providerMessageId);
    if (target === undefined) return undefined;
    const moved = await this.#sql`
      UPDATE replykit_messages
      SET status = ${update.status}, status_rank = ${STATUS_RANK[update.status]},
        status_at = ${update.at},
        error = COALESCE(${update.error === undefined ? null : this.#sql.json({ ...update.error })}::jsonb, error)
      WHERE message_id = ${target.messageId}
        AND (status_rank IS NULL OR status_rank < ${STATUS_RANK[update.status]})`;
    return moved.count === 0 ? target : this.find(target.messageId);
  }

  async addReply(messageId: string, reply: RecordedReply): Promise<void> {
    await this.#sql`
      INSERT INTO replykit_message_replies
        (message_id, provider_event_id, button_id, button_title, from_address, at)
      SELECT ${messageId}, ${reply.providerEventId}, ${reply.buttonId},
        ${reply.buttonTitle ?? null}, ${reply.from}, ${reply.at}
      WHERE EXISTS (SELECT 1 FROM replykit_messages WHERE message_id = ${messageId})
      ON CONFLICT (message_id, provider_event_id) DO NOTHING`;
  }

  /**
   * Deletes messages sent before `before` (their replies with them), `batchSize` at a time
   * through the `sent_at` index; the number deleted.
   */
  async sweepSentBefore(before: Date, batchSize = 1000): Promise<number> {
    return deleteInBatches(
      batchSize,
      () => this.#sql`
        DELETE FROM replykit_messages WHERE message_id = ANY(ARRAY(
          SELECT message_id FROM replykit_messages WHERE sent_at < ${before}
          ORDER BY sent_at LIMIT ${batchSize}))`,
    );
  }

  #select() {
    return this.#sql`
      SELECT m.message_id, m.organization_id, m.connection_id, m.conversation_id, m.provider,
        m.provider_message_id, m.recipient, m.buttons, m.sent_at, m.status, m.status_at,
        m.error,
        COALESCE((SELECT json_agg(json_build_object(
            'providerEventId', r.provider_event_id, 'buttonId', r.button_id,
            'buttonTitle', r.button_title, 'from', r.from_address, 'at', r.at) ORDER BY r.seq)
          FROM replykit_message_replies r WHERE r.message_id = m.message_id), '[]'::json)
          AS replies
      FROM replykit_messages m`;
  }
}

function toRecord(row: MessageRow): MessageRecord {
  return {
    messageId: row.message_id,
    providerMessageId: row.provider_message_id,
    provider: row.provider,
    organizationId: row.organization_id,
    connectionId: row.connection_id,
    conversationId: row.conversation_id,
    recipient: row.recipient,
    buttons: row.buttons,
    sentAt: row.sent_at,
    ...(row.status === null ? {} : { status: row.status }),
    ...(row.status_at === null ? {} : { statusAt: row.status_at }),
    ...(row.error === null ? {} : { error: row.error }),
    replies: row.replies.map((reply) => ({
      providerEventId: reply.providerEventId,
      buttonId: reply.buttonId,
      ...(reply.buttonTitle === null ? {} : { buttonTitle: reply.buttonTitle }),
      from: reply.from,
      at: new Date(reply.at),
    })),
  };
}
