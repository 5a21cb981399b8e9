import type { ServerConfig } from "../config/schema.js";
import { appOfPorts } from "./app-of-ports.js";
import { BUILT_IN_DRIVERS, checkedDrivers } from "./built-in-drivers.js";
import {
  configDirectoryPorts,
  defaultPorts,
  type RuntimeServices,
  resolverOf,
} from "./default-ports.js";

/**
 * The app for a validated configuration, its ports made by the same defaults as
 * {@link createConfiguredApp}'s but without a container: the Workers entry's composition.
 * tsyringe (and the `Reflect` polyfill it needs) would add some 30 KiB to a bundle that
 * has nothing to register — its drivers are the built-in ones, its ports the
 * configuration's, its state in memory. An embedder with its own drivers, ports or shared
 * stores uses `createConfiguredApp`.
 */
export function createEdgeApp(
  config: ServerConfig,
  runtime: Omit<RuntimeServices, "container" | "stores"> = {},
) {
  const drivers = () => checkedDrivers(BUILT_IN_DRIVERS);
  const resolve = resolverOf(
    defaultPorts(config, runtime, configDirectoryPorts(config, runtime, drivers)),
  );
  return appOfPorts(config, runtime, resolve);
}
