#!/usr/bin/env node
import { parseArgs } from "node:util";
import { DEFAULT_HOST } from "./http-server.js";
import { startProviderSimulator } from "./index.js";

const USAGE = `Usage: replykit-provider-simulator [options]

Starts the WhatsApp Cloud API, Z-API and ZapperAPI simulators and prints their base URLs
and credentials as JSON. Stops on SIGINT/SIGTERM.

Options (environment variable in brackets):
  --host <host>           [REPLYKIT_SIM_HOST]          default ${DEFAULT_HOST}
  --whatsapp-port <port>  [REPLYKIT_SIM_WHATSAPP_PORT] default 4101
  --zapi-port <port>      [REPLYKIT_SIM_ZAPI_PORT]     default 4102
  --zapper-port <port>    [REPLYKIT_SIM_ZAPPER_PORT]   default 4103
  --latency-ms <ms>       [REPLYKIT_SIM_LATENCY_MS]    default 0
  -h, --help
Port 0 picks a free port.

Webhooks (a tap, a status) are posted to your URL on request:
  POST <baseUrl>/_simulator/webhooks/<tap|status|delivery|post|redeliver> with the input as JSON
(see the package README).`;

function numberOption(
  name: string,
  flag: string | undefined,
  env: string | undefined,
  fallback: number,
): number {
  const raw = flag ?? env;
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) {
    throw new Error(`${name} must be an integer between 0 and 65535, got "${raw}"`);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: "string" },
      "whatsapp-port": { type: "string" },
      "zapi-port": { type: "string" },
      "zapper-port": { type: "string" },
      "latency-ms": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = process.env;
  const simulator = await startProviderSimulator({
    host: values.host ?? env.REPLYKIT_SIM_HOST ?? DEFAULT_HOST,
    latencyMs: numberOption("--latency-ms", values["latency-ms"], env.REPLYKIT_SIM_LATENCY_MS, 0),
    whatsapp: {
      port: numberOption(
        "--whatsapp-port",
        values["whatsapp-port"],
        env.REPLYKIT_SIM_WHATSAPP_PORT,
        4101,
      ),
    },
    zapi: {
      port: numberOption("--zapi-port", values["zapi-port"], env.REPLYKIT_SIM_ZAPI_PORT, 4102),
    },
    zapper: {
      port: numberOption(
        "--zapper-port",
        values["zapper-port"],
        env.REPLYKIT_SIM_ZAPPER_PORT,
        4103,
      ),
    },
  });

  const describe = (name: "whatsapp" | "zapi" | "zapper") => ({
    baseUrl: simulator[name].baseUrl,
    credentials: simulator[name].credentials,
  });
  process.stdout.write(
    `${JSON.stringify({ whatsapp: describe("whatsapp"), zapi: describe("zapi"), zapper: describe("zapper") }, null, 2)}\n`,
  );

  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
