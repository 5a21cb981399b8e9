import "reflect-metadata";
import { whatsappDriver } from "@replykit/adapters-whatsapp";
import { zapiDriver } from "@replykit/adapters-zapi";
import { zapperDriver } from "@replykit/adapters-zapper";
import { type AnyChannelDriver, ChannelDriverToken } from "@replykit/core";
import type { HttpDriverEnv } from "@replykit/http-transport";
import { type DependencyContainer, container as rootContainer } from "tsyringe";

/** What the server gives every driver's `create`: the HTTP transport of this runtime. */
export type ServerDriverEnv = HttpDriverEnv;

export type ServerChannelDriver = AnyChannelDriver<ServerDriverEnv>;

/** The providers replykit ships. */
export const BUILT_IN_DRIVERS: readonly ServerChannelDriver[] = Object.freeze([
  whatsappDriver,
  zapiDriver,
  zapperDriver,
]);

/** Option names a connection of the configuration uses itself; a driver may not reuse them. */
const RESERVED_OPTIONS = ["id", "organizationId", "provider"] as const;

/**
 * A container with the built-in drivers registered under `ChannelDriverToken`, one
 * registration each. Register your own provider in it before starting a server:
 * `container.register(ChannelDriverToken, { useValue: myDriver })`.
 */
export function createDriverContainer(
  parent: DependencyContainer = rootContainer,
): DependencyContainer {
  const drivers = parent.createChildContainer();
  for (const driver of BUILT_IN_DRIVERS) {
    drivers.register(ChannelDriverToken, { useValue: driver });
  }
  return drivers;
}

/**
 * Every driver registered in `container`, checked: one driver per provider name, and no
 * option named like a connection's own fields.
 */
export function registeredDrivers(container: DependencyContainer): readonly ServerChannelDriver[] {
  const drivers = container.isRegistered(ChannelDriverToken, true)
    ? container.resolveAll<ServerChannelDriver>(ChannelDriverToken)
    : [];
  if (drivers.length === 0) throw new Error("no channel driver is registered");
  const seen = new Set<string>();
  for (const driver of drivers) {
    if (seen.has(driver.provider)) {
      throw new Error(`two channel drivers are registered for the provider "${driver.provider}"`);
    }
    seen.add(driver.provider);
    const clash = RESERVED_OPTIONS.find((name) => name in driver.options.shape);
    if (clash !== undefined) {
      throw new Error(
        `the "${driver.provider}" driver has an option named "${clash}", which a connection uses itself`,
      );
    }
  }
  return drivers;
}
