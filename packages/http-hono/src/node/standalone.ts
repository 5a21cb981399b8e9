import { readFile } from "node:fs/promises";
import type { LogLevel } from "@replykit/core";
import { undiciTransport } from "@replykit/http-transport/undici";
import { startProviderSimulator } from "@replykit/provider-simulator";
import { z } from "zod";
import { createConfiguredApp } from "../composition/configured-app.js";
import { ConfigError, parseServerConfigJson } from "../config/load-config.js";
import type { ServerConfig } from "../config/schema.js";
import {
  DEMO_AGENT_ID,
  DEMO_API_KEY,
  DEMO_CONVERSATIONS,
  demoConfig,
  OTHER_AGENT_ID,
} from "../demo/demo-config.js";
import { createJsonLogger } from "../logging/json-logger.js";
import { listen } from "./server.js";

const environmentSchema = z.object({
  REPLYKIT_CONFIG: z.string().min(1).optional(),
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, "PORT must be a port number (0 to 65535)")
    .transform(Number)
    .pipe(z.int().max(65_535, "PORT must be a port number (0 to 65535)"))
    .default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export interface StandaloneOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where JSON log lines go. Default `console.log`. */
  readonly writeLog?: (line: string) => void;
}

export interface StandaloneServer {
  readonly url: string;
  readonly mode: "demo" | "config";
  /** What to print for a person: where the server is and, in demo mode, how to call it. */
  readonly banner: string;
  close(): Promise<void>;
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

async function configFromFile(path: string, env: StandaloneOptions["env"]): Promise<ServerConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(
      `cannot read the configuration file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
  return parseServerConfigJson(text, env);
}

/**
 * Starts the Node server: with `REPLYKIT_CONFIG` (a JSON file's path) it serves that
 * configuration; without, it starts the provider simulator in this process and serves the
 * embedded demo configuration, whose channels all point at it.
 */
export async function startStandalone(options: StandaloneOptions): Promise<StandaloneServer> {
  const settings = environment(options.env);
  // The demo runs for as long as someone tries it: keep the last requests only.
  const simulator =
    settings.REPLYKIT_CONFIG === undefined
      ? await startProviderSimulator({ maxRecorded: 100 })
      : undefined;
  const transport = undiciTransport();
  const closeAll = async (...closers: (() => Promise<void>)[]) => {
    await Promise.allSettled(closers.map((close) => close()));
  };
  try {
    const config =
      simulator === undefined
        ? await configFromFile(settings.REPLYKIT_CONFIG as string, options.env)
        : await demoConfig(simulator);
    const logger = createJsonLogger({
      level: settings.LOG_LEVEL as LogLevel,
      ...(options.writeLog === undefined ? {} : { write: options.writeLog }),
    });
    const app = createConfiguredApp(config, { transport, logger });
    const server = await listen(app, { port: settings.PORT, hostname: settings.HOST });
    return {
      url: server.url,
      mode: simulator === undefined ? "config" : "demo",
      banner:
        simulator === undefined ? `replykit listening on ${server.url}` : demoBanner(server.url),
      close: () => closeAll(server.close, transport.close, async () => simulator?.close()),
    };
  } catch (error) {
    await closeAll(transport.close, async () => simulator?.close());
    throw error;
  }
}

function demoBanner(url: string): string {
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
    "",
    "Try:",
    curl(DEMO_CONVERSATIONS.whatsapp),
  ].join("\n");
}
