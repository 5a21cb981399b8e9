import { z } from "zod";

const id = z.string().min(1).max(128);
const url = z.url({ protocol: /^https?$/ });
const positiveMs = z.int().positive();

const whatsappConnection = z.strictObject({
  id,
  organizationId: id,
  provider: z.literal("whatsapp"),
  phoneNumberId: z.string().min(1),
  accessToken: z.string().min(1),
  baseUrl: url.optional(),
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, "expected a version such as v23.0")
    .optional(),
  timeoutMs: positiveMs.optional(),
});

const zapiConnection = z.strictObject({
  id,
  organizationId: id,
  provider: z.literal("zapi"),
  instanceId: z.string().min(1),
  instanceToken: z.string().min(1),
  clientToken: z.string().min(1),
  baseUrl: url.optional(),
  endpoint: z.enum(["button-actions", "button-list"]).optional(),
  timeoutMs: positiveMs.optional(),
});

const zapperConnection = z.strictObject({
  id,
  organizationId: id,
  provider: z.literal("zapper"),
  instanceId: z.string().min(1),
  apiKey: z.string().min(1),
  baseUrl: url.optional(),
  expiration: z.enum(["none", "24h", "7d", "90d"]).optional(),
  timeoutMs: positiveMs.optional(),
});

export const channelConnectionSchema = z.discriminatedUnion("provider", [
  whatsappConnection,
  zapiConnection,
  zapperConnection,
]);

/**
 * The server's configuration file. Secrets may be written as `"env:NAME"` to read them
 * from the environment at start (see `loadConfig`), so the file itself can be committed.
 */
export const serverConfigSchema = z
  .strictObject({
    organizations: z.array(z.strictObject({ id, name: z.string().optional() })).min(1),
    apiKeys: z
      .array(
        z.strictObject({
          id,
          organizationId: id,
          sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected the hex SHA-256 digest of the key"),
        }),
      )
      .default([]),
    sessions: z
      .strictObject({
        jwtSecret: z.string().min(32, "use a secret of at least 32 characters"),
        issuer: z.string().optional(),
        audience: z.string().optional(),
      })
      .optional(),
    agents: z.array(z.strictObject({ id, organizationId: id, name: z.string().optional() })),
    channelConnections: z.array(channelConnectionSchema),
    conversations: z.array(
      z.strictObject({
        id,
        organizationId: id,
        channelConnectionId: id,
        recipient: z.string().min(1),
      }),
    ),
    delivery: z
      .strictObject({
        attemptTimeoutMs: positiveMs.optional(),
        maxRetries: z.int().min(0).max(10).optional(),
        initialBackoffMs: positiveMs.optional(),
        maxBackoffMs: positiveMs.optional(),
      })
      .optional(),
    idempotency: z.strictObject({ ttlMs: positiveMs }).optional(),
    maxBodyBytes: z.int().positive().max(1_048_576).optional(),
  })
  .superRefine((config, context) => {
    const organizations = new Set(config.organizations.map((organization) => organization.id));
    const connections = new Map(
      config.channelConnections.map((connection) => [connection.id, connection]),
    );
    const requireOrganization = (organizationId: string, path: (string | number)[]) => {
      if (!organizations.has(organizationId)) {
        context.addIssue({
          code: "custom",
          path,
          message: `unknown organization "${organizationId}"`,
        });
      }
    };
    const requireUnique = (ids: string[], collection: string) => {
      const seen = new Set<string>();
      ids.forEach((value, index) => {
        if (seen.has(value)) {
          context.addIssue({
            code: "custom",
            path: [collection, index, "id"],
            message: `duplicate id "${value}"`,
          });
        }
        seen.add(value);
      });
    };
    if (config.apiKeys.length === 0 && config.sessions === undefined) {
      context.addIssue({
        code: "custom",
        path: ["apiKeys"],
        message:
          "configure at least one API key or sessions.jwtSecret, or no request can authenticate",
      });
    }
    const collections = {
      organizations: config.organizations,
      apiKeys: config.apiKeys,
      agents: config.agents,
      channelConnections: config.channelConnections,
      conversations: config.conversations,
    };
    for (const [collection, items] of Object.entries(collections)) {
      requireUnique(
        items.map((item) => item.id),
        collection,
      );
    }
    for (const collection of ["apiKeys", "agents", "channelConnections"] as const) {
      collections[collection].forEach((item, index) => {
        requireOrganization(item.organizationId, [collection, index, "organizationId"]);
      });
    }
    config.conversations.forEach((conversation, index) => {
      requireOrganization(conversation.organizationId, ["conversations", index, "organizationId"]);
      const connection = connections.get(conversation.channelConnectionId);
      if (connection === undefined) {
        context.addIssue({
          code: "custom",
          path: ["conversations", index, "channelConnectionId"],
          message: `unknown channel connection "${conversation.channelConnectionId}"`,
        });
      } else if (connection.organizationId !== conversation.organizationId) {
        context.addIssue({
          code: "custom",
          path: ["conversations", index, "channelConnectionId"],
          message: `channel connection "${connection.id}" belongs to another organization`,
        });
      }
    });
  });

export type ServerConfig = z.infer<typeof serverConfigSchema>;
export type ChannelConnectionConfig = z.infer<typeof channelConnectionSchema>;
