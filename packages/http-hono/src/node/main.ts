#!/usr/bin/env node
import { ConfigError } from "../config/load-config.js";
import { startStandalone } from "./standalone.js";

try {
  const server = await startStandalone({ env: process.env });
  console.log(server.banner);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
