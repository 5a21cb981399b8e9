import { z } from "zod";
import { BUILT_IN_DRIVERS, type ServerChannelDriver } from "../composition/drivers.js";

const id = z.string().min(1).max(128);
const positiveMs = z.int().positive();

/**
 * One channel connection of the configuration: its id, its organization, its provider, and
 * that provider's options — exactly the fields of the driver's own options schema, checked
 * by it (an adapter's rules, defaults included), never restated here.
 */
export interface ChannelConnectionConfig {
  readonly id: string;
  readonly organizationId: string;
  readonly provider: string;
  readonly [option: string]: unknown;
}

/** The schema of a connection for each registered driver, told apart by `provider`. */
export function channelConnectionSchemaFor(
  drivers: readonly ServerChannelDriver[],
): z.ZodType<ChannelConnectionConfig> {
  const [first, ...rest] = drivers.map((driver) =>
    z.strictObject({
      id,
      organizationId: id,
      provider: z.literal(driver.provider),
      ...driver.options.shape,
    }),
  );
  if (first === undefined) throw new Error("no channel driver is registered");
  const providers = drivers.map((driver) => JSON.stringify(driver.provider)).join(", ");
  return z.discriminatedUnion("provider", [first, ...rest], {
    error: (issue) =>
      issue.code === "invalid_union" && issue.discriminator === "provider"
        ? `provider must be one of ${providers}`
        : undefined,
  }) as unknown as z.ZodType<ChannelConnectionConfig>;
}

/**
 * Where the state that must outlive a process is kept. `memory` (the default) is one
 * process's; `postgres` is shared by every instance on the database, and survives restarts.
 */
const storeSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("memory") }),
  z.strictObject({
    kind: z.literal("postgres"),
    /** `postgres://…`; write it `"env:DATABASE_URL"` to keep the password out of the file. */
    url: z.string().regex(/^postgres(ql)?:\/\//, "expected a postgres:// connection string"),
    /** Connections of this instance's pool. Default 10. */
    poolSize: z.int().positive().max(1000).optional(),
    /** The schema of replykit's tables; default the connection's search path. */
    schema: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, "expected a lower-case SQL identifier")
      .optional(),
    /**
     * Apply the package's migrations at start (safe with several instances starting at
     * once). Default false: run `replykit-admin migrate` first; a server whose database is
     * behind refuses to start.
     */
    migrate: z.boolean().default(false),
    /**
     * Where agents, conversations, channel connections and API keys are found: `config`
     * (this file, the default) or `postgres` (added with `replykit-admin`; the file's
     * `apiKeys` and `sessions` still authenticate).
     */
    directories: z.enum(["config", "postgres"]).default("config"),
    /** How long a send's claim on its idempotency key lives without a heartbeat. */
    leaseMs: z.int().min(100).optional(),
    /** How long messages, their statuses and replies are kept. Default 30 days. */
    messageRetentionMs: positiveMs.optional(),
    /** How often expired rows are deleted. Default 5 minutes. */
    sweepIntervalMs: positiveMs.optional(),
  }),
]);

export type StoreConfig = z.infer<typeof storeSchema>;

/**
 * The server's configuration file. Secrets may be written as `"env:NAME"` to read them
 * from the environment at start (see `loadConfig`), so the file itself can be committed.
 */
export function serverConfigSchemaFor(drivers: readonly ServerChannelDriver[]) {
  return z
    .strictObject({
      organizations: z
        .array(
          z.strictObject({
            id,
            name: z.string().optional(),
            /** Where this organization's inbound events are forwarded (Standard Webhooks). */
            webhook: z
              .strictObject({
                url: z.url({ protocol: /^https?$/, error: "expected an http(s) URL" }),
                secret: z.string().min(16, "use a secret of at least 16 characters"),
              })
              .optional(),
          }),
        )
        .default([]),
      apiKeys: z
        .array(
          z.strictObject({
            id,
            organizationId: id,
            sha256: z
              .string()
              .regex(/^[0-9a-f]{64}$/, "expected the hex SHA-256 digest of the key"),
          }),
        )
        .default([]),
      sessions: z
        .strictObject({
          jwtSecret: z.string().min(32, "use a secret of at least 32 characters"),
          // Not empty: hono/jwt checks `iss` and `aud` only when the expected value is truthy,
          // so "" would silently accept tokens of any issuer or audience.
          issuer: z
            .string()
            .min(1, "must not be empty (leave it out to accept any issuer)")
            .optional(),
          audience: z
            .string()
            .min(1, "must not be empty (leave it out to accept any audience)")
            .optional(),
        })
        .optional(),
      agents: z
        .array(z.strictObject({ id, organizationId: id, name: z.string().optional() }))
        .default([]),
      channelConnections: z.array(channelConnectionSchemaFor(drivers)).default([]),
      conversations: z
        .array(
          z.strictObject({
            id,
            organizationId: id,
            channelConnectionId: id,
            recipient: z.string().min(1),
          }),
        )
        .default([]),
      /** Default `{ "kind": "memory" }`. */
      store: storeSchema.optional(),
      delivery: z
        .strictObject({
          attemptTimeoutMs: positiveMs.optional(),
          maxRetries: z.int().min(0).max(10).optional(),
          initialBackoffMs: positiveMs.optional(),
          maxBackoffMs: positiveMs.optional(),
          retryWhenDeliveryUnknown: z.boolean().optional(),
        })
        .optional(),
      idempotency: z
        .strictObject({ ttlMs: positiveMs.optional(), maxEntries: z.int().positive().optional() })
        .optional(),
      maxBodyBytes: z.int().positive().max(1_048_576).optional(),
      /** Send requests handled at once; beyond it 503 with Retry-After. */
      maxInFlightSends: z.int().positive().optional(),
      authFailureLimit: z
        .strictObject({
          maxFailures: z.int().positive().optional(),
          windowMs: positiveMs.optional(),
          maxClients: z.int().positive().optional(),
        })
        .optional(),
      /**
       * The request header a trusted proxy puts the client's address in (e.g. "x-real-ip",
       * "cf-connecting-ip"); without it the Node server counts the socket's address.
       */
      clientIpHeader: z
        .string()
        .regex(/^[A-Za-z0-9-]+$/, "expected a header name such as x-real-ip")
        .optional(),
      /** The Node server's connections to providers (the edge has only fetch). */
      providerTransport: z
        .strictObject({
          connectionsPerOrigin: z.int().positive().max(10_000).optional(),
          keepAliveTimeoutMs: positiveMs.optional(),
        })
        .optional(),
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
      const inDatabase =
        config.store?.kind === "postgres" && config.store.directories === "postgres";
      if (inDatabase) {
        for (const collection of ["agents", "channelConnections", "conversations"] as const) {
          if (config[collection].length > 0) {
            context.addIssue({
              code: "custom",
              path: [collection],
              message: `store.directories is "postgres": ${collection} come from the database (replykit-admin); leave this list out`,
            });
          }
        }
      } else if (config.organizations.length === 0) {
        context.addIssue({
          code: "too_small",
          origin: "array",
          minimum: 1,
          inclusive: true,
          path: ["organizations"],
          message: "configure at least one organization",
        });
      }
      if (!inDatabase && config.apiKeys.length === 0 && config.sessions === undefined) {
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
      // One key under two ids would authenticate as whichever matched last: refuse it here,
      // with its path, rather than as a plain Error from createApiKeyAuthenticator at start.
      const firstWithDigest = new Map<string, number>();
      config.apiKeys.forEach((key, index) => {
        const first = firstWithDigest.get(key.sha256);
        if (first === undefined) firstWithDigest.set(key.sha256, index);
        else {
          context.addIssue({
            code: "custom",
            path: ["apiKeys", index, "sha256"],
            message: `the same key as apiKeys.${first}: each key must be configured once`,
          });
        }
      });
      for (const collection of ["apiKeys", "agents", "channelConnections"] as const) {
        collections[collection].forEach((item, index) => {
          requireOrganization(item.organizationId, [collection, index, "organizationId"]);
        });
      }
      config.conversations.forEach((conversation, index) => {
        requireOrganization(conversation.organizationId, [
          "conversations",
          index,
          "organizationId",
        ]);
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
}

export type ServerConfig = z.infer<ReturnType<typeof serverConfigSchemaFor>>;

/** The configuration's schema with the built-in drivers only. */
export const serverConfigSchema = serverConfigSchemaFor(BUILT_IN_DRIVERS);
/** A connection's schema with the built-in drivers only. */
export const channelConnectionSchema = channelConnectionSchemaFor(BUILT_IN_DRIVERS);
