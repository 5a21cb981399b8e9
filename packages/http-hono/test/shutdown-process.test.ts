import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleMain, type MainBundle, startMain } from "./main-process.js";
import { sendWithKey, slowProviderSetup } from "./shutdown-fixture.js";

let main: MainBundle;
beforeAll(async () => {
  main = await bundleMain();
}, 60_000);
afterAll(async () => main?.remove());

const logged = (lines: readonly string[]) =>
  lines.flatMap((line) => {
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });

describe("the server process on SIGTERM", () => {
  it("with sends in flight on a 20 s provider: answers each, logs each step, and exits 0 within the deadline", async () => {
    const setup = await slowProviderSetup({ latencyMs: 20_000 });
    try {
      const graceMs = 300;
      const server = await startMain(main, {
        ...setup.env,
        REPLYKIT_SHUTDOWN_GRACE_MS: String(graceMs),
      });
      const keys = ["p-1", "p-2", "p-3"];
      const fates = keys.map((key) => sendWithKey(server.url, key));
      await expect.poll(() => setup.simulator.received.length).toBe(keys.length);

      const signalledAt = Date.now();
      server.child.kill("SIGTERM");
      const { code, signal, at } = await server.exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      // The grace period and the interrupted requests' second to answer, with slack for a
      // process on a busy machine; far from the provider's 20 s.
      expect(at - signalledAt).toBeLessThan(graceMs + 1_000 + 1_500);

      for (const fate of await Promise.all(fates)) {
        expect(fate).toMatchObject({ status: 503, body: { error: { deliveryUnknown: true } } });
      }
      const lines = logged(server.lines);
      expect(
        lines
          .map((line) => String(line.event))
          .filter((event) => event.startsWith("process.") || event.startsWith("server.")),
      ).toEqual([
        "process.shutdown_started",
        "server.closing",
        "server.grace_expired",
        "server.closed",
        "server.transport_closed",
        "process.exit",
      ]);
      expect(setup.simulator.received).toHaveLength(keys.length);
    } finally {
      await setup.cleanUp();
    }
  });

  it("with nothing in flight: exits 0 at once", async () => {
    const setup = await slowProviderSetup();
    try {
      const server = await startMain(main, setup.env);
      const signalledAt = Date.now();
      server.child.kill("SIGTERM");
      const { code, at } = await server.exited;
      expect(code).toBe(0);
      expect(at - signalledAt).toBeLessThan(1_000);
      expect(logged(server.lines).find((line) => line.event === "server.closed")).toMatchObject({
        inFlightAtClose: 0,
        drained: true,
        cut: 0,
      });
    } finally {
      await setup.cleanUp();
    }
  });
});
