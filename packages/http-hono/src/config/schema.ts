import * as z from "zod/mini";
import { BUILT_IN_DRIVERS, type ServerChannelDriver } from "../composition/built-in-drivers.js";

// zod/mini, imported as a namespace: the Workers entry parses this schema, and classic zod
// (or mini's own `z` re-export) would put all of zod in its bundle.
const id = z.string().check(z.minLength(1), z.maxLength(128));

/**
 * An http(s) URL, read as `z.url({ protocol: /^https?$/ })` reads one — trimmed, `http://` or
 * `https://` first, parsed by `URL`, its tabs and line breaks dropped — without zod's URL
 * schema, some 500 bytes of a gzipped Workers bundle for this one field.
 * (test/config.url.test.ts holds the two to the same answers.)
 */
export const httpUrl = z.string().check(
  z.refine((value) => {
    const trimmed = value.trim();
    if (!/^https?:\/\//i.test(trimmed)) return false;
    // Not URL.canParse: Node 20's, once optimised, refuses some URLs that parse.
    try {
      return new URL(trimmed).protocol !== "";
    } catch {
      return false;
    }
  }, "expected an http(s) URL"),
  z.overwrite((value) => value.trim().replace(/[\t\n\r]/g, "")),
);
const positiveMs = z.int().check(z.positive());

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
): z.ZodMiniType<ChannelConnectionConfig> {
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
  }) as unknown as z.ZodMiniType<ChannelConnectionConfig>;
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
    url: z
      .string()
      .check(z.regex(/^postgres(ql)?:\/\//, "expected a postgres:// connection string")),
    /** Connections of this instance's pool. Default 10. */
    poolSize: z.optional(z.int().check(z.positive(), z.lte(1000))),
    /** The schema of replykit's tables; default the connection's search path. */
    schema: z.optional(
      z.string().check(z.regex(/^[a-z_][a-z0-9_]{0,62}$/, "expected a lower-case SQL identifier")),
    ),
    /**
     * Apply the package's migrations at start (safe with several instances starting at
     * once). Default false: run `replykit-admin migrate` first; a server whose database is
     * behind refuses to start.
     */
    migrate: z._default(z.boolean(), false),
    /**
     * Where agents, conversations, channel connections and API keys are found: `config`
     * (this file, the default) or `postgres` (added with `replykit-admin`; the file's
     * `apiKeys` and `sessions` still authenticate).
     */
    directories: z._default(z.enum(["config", "postgres"]), "config"),
    /** How long a send's claim on its idempotency key lives without a heartbeat. */
    leaseMs: z.optional(z.int().check(z.gte(100))),
    /** How long messages, their statuses and replies are kept. Default 30 days. */
    messageRetentionMs: z.optional(positiveMs),
    /** How often expired rows are deleted. Default 5 minutes. */
    sweepIntervalMs: z.optional(positiveMs),
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
      organizations: z._default(
        z.array(
          z.strictObject({
            id,
            name: z.optional(z.string()),
            /** Where this organization's inbound events are forwarded (Standard Webhooks). */
            webhook: z.optional(
              z.strictObject({
                url: httpUrl,
                secret: z.string().check(z.minLength(16, "use a secret of at least 16 characters")),
              }),
            ),
          }),
        ),
        [],
      ),
      apiKeys: z._default(
        z.array(
          z.strictObject({
            id,
            organizationId: id,
            sha256: z
              .string()
              .check(z.regex(/^[0-9a-f]{64}$/, "expected the hex SHA-256 digest of the key")),
          }),
        ),
        [],
      ),
      sessions: z.optional(
        z.strictObject({
          jwtSecret: z.string().check(z.minLength(32, "use a secret of at least 32 characters")),
          // Not empty: the session check (hono/jwt's rules) checks `iss` and `aud` only when
          // the expected value is truthy, so "" would silently accept any issuer or audience.
          issuer: z.optional(
            z
              .string()
              .check(z.minLength(1, "must not be empty (leave it out to accept any issuer)")),
          ),
          audience: z.optional(
            z
              .string()
              .check(z.minLength(1, "must not be empty (leave it out to accept any audience)")),
          ),
        }),
      ),
      agents: z._default(
        z.array(z.strictObject({ id, organizationId: id, name: z.optional(z.string()) })),
        [],
      ),
      channelConnections: z._default(z.array(channelConnectionSchemaFor(drivers)), []),
      conversations: z._default(
        z.array(
          z.strictObject({
            id,
            organizationId: id,
            channelConnectionId: id,
            recipient: z.string().check(z.minLength(1)),
          }),
        ),
        [],
      ),
      /** Default `{ "kind": "memory" }`. */
      store: z.optional(storeSchema),
      delivery: z.optional(
        z.strictObject({
          attemptTimeoutMs: z.optional(positiveMs),
          maxRetries: z.optional(z.int().check(z.gte(0), z.lte(10))),
          initialBackoffMs: z.optional(positiveMs),
          maxBackoffMs: z.optional(positiveMs),
          retryWhenDeliveryUnknown: z.optional(z.boolean()),
        }),
      ),
      idempotency: z.optional(
        z.strictObject({
          ttlMs: z.optional(positiveMs),
          maxEntries: z.optional(z.int().check(z.positive())),
        }),
      ),
      maxBodyBytes: z.optional(z.int().check(z.positive(), z.lte(1_048_576))),
      /** Send requests handled at once; beyond it 503 with Retry-After. */
      maxInFlightSends: z.optional(z.int().check(z.positive())),
      authFailureLimit: z.optional(
        z.strictObject({
          maxFailures: z.optional(z.int().check(z.positive())),
          windowMs: z.optional(positiveMs),
          maxClients: z.optional(z.int().check(z.positive())),
        }),
      ),
      /**
       * The request header a trusted proxy puts the client's address in (e.g. "x-real-ip",
       * "cf-connecting-ip"); without it the Node server counts the socket's address.
       */
      clientIpHeader: z.optional(
        z.string().check(z.regex(/^[A-Za-z0-9-]+$/, "expected a header name such as x-real-ip")),
      ),
      /** The Node server's connections to providers (the edge has only fetch). */
      providerTransport: z.optional(
        z.strictObject({
          connectionsPerOrigin: z.optional(z.int().check(z.positive(), z.lte(10_000))),
          keepAliveTimeoutMs: z.optional(positiveMs),
        }),
      ),
    })
    .check(
      z.superRefine((config, context) => {
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
      }),
    );
}

export type ServerConfig = z.infer<ReturnType<typeof serverConfigSchemaFor>>;

/** The configuration's schema with the built-in drivers only. */
export const serverConfigSchema = serverConfigSchemaFor(BUILT_IN_DRIVERS);
/** A connection's schema with the built-in drivers only. */
export const channelConnectionSchema = channelConnectionSchemaFor(BUILT_IN_DRIVERS);
