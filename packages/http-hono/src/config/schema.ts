import {
  baseUrlOption,
  credentialOption,
  type OptionWithDefault,
  PATH_SEGMENT_CHARACTERS,
  PRINTABLE_ASCII,
  timeoutMsOption,
} from "@replykit/http-transport";
import { z } from "zod";

const id = z.string().min(1).max(128);
const positiveMs = z.int().positive();

/**
 * The check of one of http-transport's optional adapter options, without its default: in the
 * configuration an absent value stays absent (the adapter fills in its own default), and a
 * present one passes exactly the rule the adapter applies when the channel is made. The
 * default the option is built with is therefore never used.
 */
const ruleOf = <Schema extends z.ZodType, Value>(option: OptionWithDefault<Schema, Value>) =>
  option.in.unwrap();

// Channel options are checked by the adapters' own rules (@replykit/http-transport), so a
// value an adapter would refuse is a line of the configuration's problems, with its path,
// instead of a raw Error when the server starts. Messages name the rule, never the value.
const baseUrl = ruleOf(baseUrlOption("https://unused.invalid")).optional();
const timeoutMs = ruleOf(timeoutMsOption(1)).optional();

const whatsappConnection = z.strictObject({
  id,
  organizationId: id,
  provider: z.literal("whatsapp"),
  phoneNumberId: credentialOption("phoneNumberId", {
    what: "the sending phone number's id",
    form: PATH_SEGMENT_CHARACTERS,
    inUrlPath: true,
  }),
  accessToken: credentialOption("accessToken", { what: "a WhatsApp Cloud API access token" }),
  baseUrl,
  apiVersion: z
    .string()
    .regex(/^v\d+\.\d+$/, "expected a version such as v23.0")
    .optional(),
  timeoutMs,
});

const zapiConnection = z.strictObject({
  id,
  organizationId: id,
  provider: z.literal("zapi"),
  instanceId: credentialOption("instanceId", { inUrlPath: true }),
  instanceToken: credentialOption("instanceToken", { inUrlPath: true }),
  clientToken: credentialOption("clientToken"),
  baseUrl,
  endpoint: z.enum(["button-actions", "button-list"]).optional(),
  timeoutMs,
});

const zapperConnection = z.strictObject({
  id,
  organizationId: id,
  provider: z.literal("zapper"),
  instanceId: credentialOption("instanceId", { form: PRINTABLE_ASCII, inUrlPath: true }),
  apiKey: credentialOption("apiKey", { form: PRINTABLE_ASCII }),
  baseUrl,
  expiration: z.enum(["none", "24h", "7d", "90d"]).optional(),
  timeoutMs,
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
