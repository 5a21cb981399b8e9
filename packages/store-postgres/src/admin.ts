import type { Sql } from "postgres";
import { sha256Hex } from "./directories.js";

/**
 * Writes to the directories: what the `replykit-admin` command runs, and what an operator's
 * own tooling may call. Every write is one statement; a duplicate id or an unknown reference
 * fails with PostgreSQL's own constraint error, nothing half-written.
 */
export class PostgresAdmin {
  readonly #sql: Sql;

  constructor(sql: Sql) {
    this.#sql = sql;
  }

  async addOrganization(organization: { id: string; name?: string | undefined }): Promise<void> {
    await this.#sql`
      INSERT INTO replykit_organizations (id, name)
      VALUES (${organization.id}, ${organization.name ?? null})`;
  }

  /**
   * Stores an API key by its SHA-256 only. Pass the key a client will present; the key itself
   * is never written (see `generateApiKey` for a new one).
   */
  async addApiKey(apiKey: { id: string; organizationId: string; key: string }): Promise<void> {
    await this.#sql`
      INSERT INTO replykit_api_keys (id, organization_id, sha256)
      VALUES (${apiKey.id}, ${apiKey.organizationId}, ${await sha256Hex(apiKey.key)})`;
  }

  /** Revokes a key at once, for every instance; whether there was a live key of that id. */
  async revokeApiKey(id: string, at = new Date()): Promise<boolean> {
    const revoked = await this.#sql`
      UPDATE replykit_api_keys SET revoked_at = ${at} WHERE id = ${id} AND revoked_at IS NULL`;
    return revoked.count > 0;
  }

  async addAgent(agent: { id: string; organizationId: string; name?: string | undefined }) {
    await this.#sql`
      INSERT INTO replykit_agents (id, organization_id, name)
      VALUES (${agent.id}, ${agent.organizationId}, ${agent.name ?? null})`;
  }

  /**
   * Adds a connection, or replaces the options of one with that id (a rotated token). The
   * options should have been checked by the provider's driver first: the store does not know
   * the drivers.
   */
  async putChannelConnection(connection: {
    id: string;
    organizationId: string;
    provider: string;
    options: Readonly<Record<string, unknown>>;
  }): Promise<void> {
    const options = this.#sql.json(JSON.parse(JSON.stringify(connection.options)));
    const written = await this.#sql`
      INSERT INTO replykit_channel_connections (id, organization_id, provider, options)
      VALUES (${connection.id}, ${connection.organizationId}, ${connection.provider}, ${options})
      ON CONFLICT (id) DO UPDATE SET options = excluded.options, updated_at = now()
      WHERE replykit_channel_connections.organization_id = excluded.organization_id
        AND replykit_channel_connections.provider = excluded.provider`;
    if (written.count === 0) {
      throw new Error(
        `channel connection "${connection.id}" exists with another organization or provider`,
      );
    }
  }

  /** Adds a conversation; its connection must belong to the same organization. */
  async addConversation(conversation: {
    id: string;
    organizationId: string;
    channelConnectionId: string;
    recipient: string;
  }): Promise<void> {
    const inserted = await this.#sql`
      INSERT INTO replykit_conversations (id, organization_id, channel_connection_id, recipient)
      SELECT ${conversation.id}, ${conversation.organizationId},
        ${conversation.channelConnectionId}, ${conversation.recipient}
      WHERE EXISTS (SELECT 1 FROM replykit_channel_connections
        WHERE id = ${conversation.channelConnectionId}
          AND organization_id = ${conversation.organizationId})`;
    if (inserted.count === 0) {
      throw new Error(
        `channel connection "${conversation.channelConnectionId}" does not exist in organization "${conversation.organizationId}"`,
      );
    }
  }
}

/** A new API key: 32 random bytes, base64url, with a recognisable prefix for secret scanners. */
export function generateApiKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `rk_${btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;
}
