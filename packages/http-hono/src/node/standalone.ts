import { hash } from "node:crypto";
import { setMaxListeners } from "node:events";
import { readFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import type { HttpBindings } from "@hono/node-server";
import type { Logger, LogLevel } from "@replykit/core";
import type { ClientAddress } from "@replykit/http-app";
import { createJsonLogger } from "@replykit/http-app";
import { type UndiciTransport, undiciTransport } from "@replykit/http-transport/undici";
import type { DependencyContainer } from "tsyringe";
import { z } from "zod";
import { createConfiguredApp } from "../composition/configured-app.js";
import {
  createDriverContainer,
  registeredDrivers,
  type ServerChannelDriver,
} from "../composition/drivers.js";
import { ConfigError, parseServerConfigJson } from "../config/load-config.js";
import type { ServerConfig } from "../config/schema.js";
import {
  DEMO_AGENT_ID,
  DEMO_API_KEY,
  DEMO_CONNECTIONS,
  DEMO_CONVERSATIONS,
  DEMO_WEBHOOK_SECRETS,
  demoConfig,
  OTHER_AGENT_ID,
} from "../demo/demo-config.js";
import { stdoutLines } from "./log-writer.js";
import { nodeRequestAccess } from "./native-request.js";
import { type CloseReport, LISTEN_DEFAULTS, listen } from "./server.js";
import { type OpenedStores, openPostgresStores } from "./shared-stores.js";

/** How long `close()` waits for the provider transport to close once no request is left. */
const TRANSPORT_CLOSE_MS = 1_000;

/**
 * How long `close()` may take beyond the grace period: the interrupted requests' time to
 * answer, the transport's, and slack for a busy machine. `main.js` exits 1 past it.
 */
const SHUTDOWN_MARGIN_MS = LISTEN_DEFAULTS.interruptGraceMs + TRANSPORT_CLOSE_MS + 3_000;

/** A positive whole number from the environment, e.g. a duration in milliseconds. */
const positiveInteger = (name: string, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a positive whole number`)
    .transform(Number)
    .pipe(z.int().positive(`${name} must be a positive whole number`))
    .default(fallback);

const environmentSchema = z
  .object({
    REPLYKIT_CONFIG: z.string().min(1).optional(),
    PORT: z
      .string()
      .regex(/^\d{1,5}$/, "PORT must be a port number (0 to 65535)")
      .transform(Number)
      .pipe(z.int().max(65_535, "PORT must be a port number (0 to 65535)"))
      .default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    REPLYKIT_HEADERS_TIMEOUT_MS: positiveInteger(
      "REPLYKIT_HEADERS_TIMEOUT_MS",
      LISTEN_DEFAULTS.headersTimeoutMs,
    ),
    REPLYKIT_REQUEST_TIMEOUT_MS: positiveInteger(
      "REPLYKIT_REQUEST_TIMEOUT_MS",
      LISTEN_DEFAULTS.requestTimeoutMs,
    ),
    REPLYKIT_KEEP_ALIVE_TIMEOUT_MS: positiveInteger(
      "REPLYKIT_KEEP_ALIVE_TIMEOUT_MS",
      LISTEN_DEFAULTS.keepAliveTimeoutMs,
    ),
    REPLYKIT_MAX_CONNECTIONS: positiveInteger(
      "REPLYKIT_MAX_CONNECTIONS",
      LISTEN_DEFAULTS.maxConnections,
    ),
    REPLYKIT_SHUTDOWN_GRACE_MS: positiveInteger(
      "REPLYKIT_SHUTDOWN_GRACE_MS",
      LISTEN_DEFAULTS.closeGraceMs,
    ),
  })
  .refine((env) => env.REPLYKIT_HEADERS_TIMEOUT_MS <= env.REPLYKIT_REQUEST_TIMEOUT_MS, {
    path: ["REPLYKIT_HEADERS_TIMEOUT_MS"],
    message: "REPLYKIT_HEADERS_TIMEOUT_MS must not exceed REPLYKIT_REQUEST_TIMEOUT_MS",
  });

export interface StandaloneOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Where JSON log lines go. Default: standard output, in batches written after each turn
   * of the event loop (see `batchedLineWriter`), so that no request waits on a write.
   */
  readonly writeLog?: (line: string) => void;
  /**
   * The channel drivers: `createDriverContainer()` from `@replykit/http-hono/composition`,
   * with your own provider registered (`container.register(ChannelDriverToken, { useValue })`).
   * The configuration file may then name that provider. Default: the built-in drivers.
   */
  readonly container?: DependencyContainer;
}

export interface StandaloneServer {
  readonly url: string;
  readonly mode: "demo" | "config";
  /** What to print for a person: where the server is and, in demo mode, how to call it. */
  readonly banner: string;
  /** The server's JSON logger (`LOG_LEVEL`, `writeLog`), for whoever runs it to log with. */
  readonly logger: Logger;
  /**
   * How long `close()` can take at most: `REPLYKIT_SHUTDOWN_GRACE_MS` plus a few seconds.
   * A process that is still closing then has something stuck; `main.js` exits 1.
   */
  readonly shutdownDeadlineMs: number;
  /**
   * Shuts down in order: stops accepting connections; lets requests in flight finish for
   * up to `REPLYKIT_SHUTDOWN_GRACE_MS`; then interrupts those left (their sends stop, their
   * idempotency keys are recorded as outcome unknown, they answer 503) and cuts their
   * connections; only then closes the provider transport, the store's pool, and the demo's
   * simulator. Retries during the grace period still reach the provider.
   */
  close(): Promise<CloseReport>;
}

function environment(env: StandaloneOptions["env"]) {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".")}: ${issue.message}`,
    );
    throw new ConfigError(`invalid environment:\n  - ${problems.join("\n  - ")}`);
  }
  return parsed.data;
}

async function configFromFile(
  path: string,
  env: StandaloneOptions["env"],
  drivers: readonly ServerChannelDriver[],
): Promise<ServerConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(
      `cannot read the configuration file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  return parseServerConfigJson(text, env, drivers);
}

/**
 * Starts the Node server: with `REPLYKIT_CONFIG` (a JSON file's path) it serves that
 * configuration; without, it starts the provider simulator in this process and serves the
 * embedded demo configuration, whose channels all point at it.
 */
export async function startStandalone(options: StandaloneOptions): Promise<StandaloneServer> {
  const settings = environment(options.env);
  const drivers = options.container ?? createDriverContainer();
  // The demo runs for as long as someone tries it: keep the last requests only.
  const simulator = settings.REPLYKIT_CONFIG === undefined ? await startDemoProviders() : undefined;
  let transport: UndiciTransport | undefined;
  let opened: OpenedStores | undefined;
  const closeAll = async (...closers: (() => Promise<void>)[]) => {
    await Promise.allSettled(closers.map((close) => close()));
  };
  try {
    const config =
      simulator === undefined
        ? await configFromFile(
            settings.REPLYKIT_CONFIG as string,
            options.env,
            registeredDrivers(drivers),
          )
        : await demoConfig(simulator);
    const pool = config.providerTransport;
    const providers = undiciTransport({
      ...(pool?.connectionsPerOrigin === undefined
        ? {}
        : { connections: pool.connectionsPerOrigin }),
      ...(pool?.keepAliveTimeoutMs === undefined
        ? {}
        : { keepAliveTimeoutMs: pool.keepAliveTimeoutMs }),
    });
    transport = providers;
    if (config.store?.kind === "postgres") opened = await openPostgresStores(config.store);
    const stores = opened;
    const logger = createJsonLogger({
      level: settings.LOG_LEVEL as LogLevel,
      write: options.writeLog ?? ((line) => stdoutLines().write(line)),
    });
    // Aborted by the server when the shutdown grace period ends with requests in flight.
    const shutdown = new AbortController();
    // Every send in flight listens to this one signal (and lets go when it ends): many
    // listeners at once are the design, not a leak.
    setMaxListeners(0, shutdown.signal);
    const app = createConfiguredApp(config, {
      container: drivers,
      transport: providers,
      logger,
      shutdownSignal: shutdown.signal,
      clientAddress: socketAddress,
      native: nodeRequestAccess,
      ...(stores === undefined ? {} : { stores: stores.stores, readiness: stores.ping }),
      variables: options.env,
      // One call, no Hash object: a third cheaper than createHash().update().digest().
      sha256: (text) => hash("sha256", text, "buffer"),
    });
    const server = await listen(app, {
      port: settings.PORT,
      hostname: settings.HOST,
      headersTimeoutMs: settings.REPLYKIT_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: settings.REPLYKIT_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: settings.REPLYKIT_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: settings.REPLYKIT_MAX_CONNECTIONS,
      closeGraceMs: settings.REPLYKIT_SHUTDOWN_GRACE_MS,
      interrupt: shutdown,
      logger,
    });
    let closed: Promise<CloseReport> | undefined;
    const close = async () => {
      // The transport outlives every request: a retry during the grace period still sends.
      const report = await server.close();
      // Drained: nothing runs on the transport, and close() is immediate. Otherwise what
      // still runs is a send whose client was already answered or cut: fail it now rather
      // than let it deliver unseen.
      const how = report.drained ? "close" : "destroy";
      const closing = report.drained ? providers.close() : providers.destroy();
      const closed = await Promise.race([
        closing.then(
          () => true,
          () => true,
        ),
        delay(TRANSPORT_CLOSE_MS, undefined, { ref: false }).then(() => false),
      ]);
      if (!closed) await providers.destroy().catch(() => undefined);
      logger.log(closed ? "info" : "warn", "server.transport_closed", {
        how: closed ? how : "destroy after close timed out",
      });
      // Last: a send interrupted above records its key's outcome in the store first.
      await stores?.close();
      await simulator?.close();
      if (options.writeLog === undefined) stdoutLines().flush();
      return report;
    };
    return {
      url: server.url,
      mode: simulator === undefined ? "config" : "demo",
      banner:
        simulator === undefined
          ? `replykit listening on ${server.url}`
          : demoBanner(server.url, {
              whatsapp: simulator.whatsapp.baseUrl,
              zapi: simulator.zapi.baseUrl,
              zapper: simulator.zapper.baseUrl,
            }),
      logger,
      shutdownDeadlineMs: settings.REPLYKIT_SHUTDOWN_GRACE_MS + SHUTDOWN_MARGIN_MS,
      close: () => {
        closed ??= close();
        return closed;
      },
    };
  } catch (error) {
    await closeAll(
      async () => transport?.close(),
      async () => opened?.close(),
      async () => simulator?.close(),
    );
    throw error;
  }
}

/**
 * The address of the socket a request came on, from the bindings `@hono/node-server` passes
 * as `c.env`: the client's own, or the last proxy's (see the configuration's `clientIpHeader`).
 */
const socketAddress: ClientAddress = (c) =>
  (c.env as Partial<HttpBindings> | undefined)?.incoming?.socket.remoteAddress;

function demoBanner(
  url: string,
  simulators: { readonly whatsapp: string; readonly zapi: string; readonly zapper: string },
): string {
  const whatsappSimulator = simulators.whatsapp;
  const curl = (conversationId: string) =>
    [
      `curl -s -X POST ${url}/messages/interactive/send-buttons \\`,
      `  -H 'Authorization: Bearer ${DEMO_API_KEY}' -H 'Content-Type: application/json' \\`,
      `  -d '{"agentId":"${DEMO_AGENT_ID}","conversationId":"${conversationId}","body_text":"Did your order arrive?","button_1_id":"yes","button_1_title":"Yes","button_2_id":"no","button_2_title":"No"}'`,
    ].join("\n");
  return [
    `replykit demo listening on ${url} (providers: the in-process simulator)`,
    `  API key:        ${DEMO_API_KEY}`,
    `  agent:          ${DEMO_AGENT_ID}   (of another organization, answers 403: ${OTHER_AGENT_ID})`,
    `  conversations:  ${DEMO_CONVERSATIONS.whatsapp} (WhatsApp Cloud), ${DEMO_CONVERSATIONS.zapi} (Z-API), ${DEMO_CONVERSATIONS.zapper} (ZapperAPI)`,
    `  OpenAPI:        ${url}/openapi.json`,
    `  simulators:     WhatsApp ${simulators.whatsapp}, Z-API ${simulators.zapi}, ZapperAPI ${simulators.zapper}`,
    `  webhook URLs:   ${url}/webhooks/${DEMO_CONNECTIONS.whatsapp}, ${url}/webhooks/${DEMO_CONNECTIONS.zapi}/${DEMO_WEBHOOK_SECRETS.zapi}, ${url}/webhooks/${DEMO_CONNECTIONS.zapper} (Bearer ${DEMO_WEBHOOK_SECRETS.zapper})`,
    "",
    "Try:",
    curl(DEMO_CONVERSATIONS.whatsapp),
    "",
    "Then tap a button of that message in the simulator (it posts WhatsApp's signed webhook here; the",
    "event is logged as inbound.event), and read the message's status and replies:",
    `curl -s -X POST ${whatsappSimulator}/_simulator/webhooks/tap -H 'Content-Type: application/json' \\`,
    `  -d '{"url":"${url}/webhooks/${DEMO_CONNECTIONS.whatsapp}","appSecret":"${DEMO_WEBHOOK_SECRETS.whatsappAppSecret}","messageId":"<providerMessageId>","buttonId":"yes"}'`,
    `curl -s ${url}/messages/<messageId> -H 'Authorization: Bearer ${DEMO_API_KEY}'`,
  ].join("\n");
}

/**
 * The demo's providers: the simulator, loaded only here, so that a server started on a
 * configuration file never loads it.
 */
async function startDemoProviders() {
  const { startProviderSimulator } = await import("@replykit/provider-simulator");
  return startProviderSimulator({ maxRecorded: 100 });
}
