import "reflect-metadata";
import { ChannelDriverToken } from "@replykit/core";
import { type DependencyContainer, container as rootContainer } from "tsyringe";
import { BUILT_IN_DRIVERS, checkedDrivers, type ServerChannelDriver } from "./built-in-drivers.js";

export {
  BUILT_IN_DRIVERS,
  type ServerChannelDriver,
  type ServerDriverEnv,
} from "./built-in-drivers.js";

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
  return checkedDrivers(
    container.isRegistered(ChannelDriverToken, true)
      ? container.resolveAll<ServerChannelDriver>(ChannelDriverToken)
      : [],
  );
}
