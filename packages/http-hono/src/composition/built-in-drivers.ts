import { whatsappDriver } from "@replykit/adapters-whatsapp";
import { zapiDriver } from "@replykit/adapters-zapi";
import { zapperDriver } from "@replykit/adapters-zapper";
import type { AnyChannelDriver } from "@replykit/core";
import type { HttpDriverEnv } from "@replykit/http-transport";

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
 * `drivers`, checked: at least one, one driver per provider name, and no option named like
 * a connection's own fields.
 */
export function checkedDrivers(
  drivers: readonly ServerChannelDriver[],
): readonly ServerChannelDriver[] {
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
