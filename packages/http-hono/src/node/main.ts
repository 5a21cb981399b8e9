#!/usr/bin/env node
import { ConfigError } from "../config/load-config.js";
import { installShutdown } from "./shutdown.js";
import { startStandalone } from "./standalone.js";

try {
  const server = await startStandalone({ env: process.env });
  // SIGTERM (orchestrators) or SIGINT (Ctrl-C): drain, then close; exit 1 past the deadline.
  // Installed before the banner: whoever waits for it may signal at once.
  installShutdown({
    close: server.close,
    logger: server.logger,
    deadlineMs: server.shutdownDeadlineMs,
  });
  console.log(server.banner);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
