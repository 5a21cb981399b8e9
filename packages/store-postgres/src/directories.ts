import type {
  Agent,
  AgentDirectory,
  Authenticator,
  Conversation,
  ConversationDirectory,
  Principal,
} from "@replykit/core";
import type { Sql } from "postgres";

/** A channel connection as stored: its provider's options are the driver's to check. */
export interface StoredChannelConnection {
  readonly id: string;
  readonly organizationId: string;
  readonly provider: string;
  /** The driver's options; secrets may be `"env:NAME"` references, resolved by the server. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly updatedAt: Date;
}

/**
 * Organizations, API keys, agents, conversations and channel connections in PostgreSQL, so
 * that a server need not list every conversation in its configuration file. Each lookup is
 * one primary-key (or unique-index) read.
 */
export class PostgresDirectories implements AgentDirectory, ConversationDirectory, Authenticator {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async findAgent(agentId: string): Promise<Agent | undefined> {
    const [row] = await this.#sql<{ id: string; organization_id: string }[]>`
      SELECT id, organization_id FROM replykit_agents WHERE id = ${agentId}`;
    return row === undefined ? undefined : { id: row.id, organizationId: row.organization_id };
  }

  async findConversation(conversationId: string): Promise<Conversation | undefined> {
    const [row] = await this.#sql<
      { id: string; organization_id: string; channel_connection_id: string; recipient: string }[]
    >`
      SELECT id, organization_id, channel_connection_id, recipient
      FROM replykit_conversations WHERE id = ${conversationId}`;
    return row === undefined
      ? undefined
      : {
          id: row.id,
          organizationId: row.organization_id,
          channelConnectionId: row.channel_connection_id,
          recipient: row.recipient,
        };
  }

  async findChannelConnection(connectionId: string): Promise<StoredChannelConnection | undefined> {
    const [row] = await this.#sql<
      {
        id: string;
        organization_id: string;
        provider: string;
        options: Record<string, unknown>;
        updated_at: Date;
      }[]
    >`
      SELECT id, organization_id, provider, options, updated_at
      FROM replykit_channel_connections WHERE id = ${connectionId}`;
    return row === undefined
      ? undefined
      : {
          id: row.id,
          organizationId: row.organization_id,
          provider: row.provider,
          options: row.options,
          updatedAt: row.updated_at,
        };
  }

  /**
   * An API key's principal, found by the SHA-256 of the token through a unique index: one
   * lookup whatever the number of keys. Revoked keys authenticate nobody.
   */
  async authenticate(token: string): Promise<Principal | undefined> {
    const [row] = await this.#sql<{ id: string; organization_id: string }[]>`
      SELECT id, organization_id FROM replykit_api_keys
      WHERE sha256 = ${await sha256Hex(token)} AND revoked_at IS NULL`;
    return row === undefined
      ? undefined
      : { kind: "api_key", subject: row.id, organizationId: row.organization_id };
  }
}

const encoder = new TextEncoder();

/** The hex SHA-256 of a text, as API keys are stored (the same as `hashApiKey`). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
