import { describe, expect, it } from "vitest";
import { createConfiguredApp } from "../src/composition/configured-app.js";
import { serverConfigSchema } from "../src/config/schema.js";
import { minimalConfig } from "./support.js";

const configWith = (extra: Record<string, unknown>) =>
  serverConfigSchema.parse({
    ...minimalConfig(),
    channelConnections: minimalConfig().channelConnections.map((connection) => ({
      ...connection,
      accessToken: "wa-token",
    })),
    ...extra,
  });

const badTokenFrom = (app: ReturnType<typeof createConfiguredApp>, address: string) =>
  app.request("/messages/interactive/send-buttons", {
    method: "POST",
    headers: {
      authorization: "Bearer rk_guess",
      "content-type": "application/json",
      "x-real-ip": address,
    },
    body: "{}",
  });

describe("the configuration's limits", () => {
  it("accepts the load, authentication, idempotency and provider-connection settings", () => {
    const config = configWith({
      maxInFlightSends: 100,
      authFailureLimit: { maxFailures: 5, windowMs: 30_000, maxClients: 1_000 },
      clientIpHeader: "x-real-ip",
      idempotency: { maxEntries: 1_000 },
      providerTransport: { connectionsPerOrigin: 32, keepAliveTimeoutMs: 10_000 },
    });
    expect(config.providerTransport?.connectionsPerOrigin).toBe(32);
  });

  it.each([
    [{ maxInFlightSends: 0 }, "maxInFlightSends"],
    [{ authFailureLimit: { maxFailures: 0 } }, "authFailureLimit.maxFailures"],
    [{ clientIpHeader: "x real ip" }, "clientIpHeader"],
    [{ idempotency: { maxEntries: -1 } }, "idempotency.maxEntries"],
    [{ providerTransport: { connectionsPerOrigin: 0 } }, "providerTransport.connectionsPerOrigin"],
  ])("refuses %j, naming %s", (extra, path) => {
    const parsed = serverConfigSchema.safeParse({ ...minimalConfig(), ...extra });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toContain(path);
  });

  it("counts failed authentications by the configured header, per client", async () => {
    const app = createConfiguredApp(
      configWith({ clientIpHeader: "x-real-ip", authFailureLimit: { maxFailures: 2 } }),
    );
    expect((await badTokenFrom(app, "192.0.2.1")).status).toBe(401);
    expect((await badTokenFrom(app, "192.0.2.1")).status).toBe(401);
    expect((await badTokenFrom(app, "192.0.2.1")).status).toBe(429);
    expect((await badTokenFrom(app, "192.0.2.2")).status).toBe(401);
  });

  it("without a header, counts nobody by a header a client could forge", async () => {
    const app = createConfiguredApp(configWith({ authFailureLimit: { maxFailures: 1 } }));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await badTokenFrom(app, "192.0.2.1")).status).toBe(401);
    }
  });
});
