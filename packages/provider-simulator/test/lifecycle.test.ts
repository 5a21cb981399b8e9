import { createServer } from "node:net";
import { describe, expect, it, vi } from "vitest";
import {
  DEFAULT_WHATSAPP_CREDENTIALS,
  DEFAULT_ZAPI_CREDENTIALS,
  DEFAULT_ZAPPER_CREDENTIALS,
  startProviderSimulator,
  startWhatsAppSimulator,
} from "../src/index.js";
import { postJson } from "./helpers.js";

async function canListenOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

describe("simulator lifecycle", () => {
  it("listens on 127.0.0.1 and a free port by default", async () => {
    const sim = await startWhatsAppSimulator();
    try {
      expect(sim.baseUrl).toBe(`http://127.0.0.1:${sim.port}`);
      expect(sim.port).toBeGreaterThan(0);
    } finally {
      await sim.close();
    }
  });

  it("frees its port on close(), even with a keep-alive connection open", async () => {
    const sim = await startWhatsAppSimulator();
    // The fetch leaves a pooled keep-alive socket behind.
    await fetch(`${sim.baseUrl}/anything`);
    await sim.close();

    expect(await canListenOn(sim.port)).toBe(true);
    await expect(fetch(`${sim.baseUrl}/anything`)).rejects.toThrow();
  });

  it("closes promptly while a request is waiting on injected latency, and close() is idempotent", async () => {
    const sim = await startWhatsAppSimulator();
    sim.failNext({ latencyMs: 60_000 });
    const pending = fetch(`${sim.baseUrl}/anything`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const started = performance.now();
    await Promise.all([sim.close(), sim.close()]);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it("restarts on the same fixed port after close()", async () => {
    const first = await startWhatsAppSimulator();
    const { port } = first;
    await first.close();
    const second = await startWhatsAppSimulator({ port });
    try {
      expect(second.port).toBe(port);
    } finally {
      await second.close();
    }
  });
});

describe("startProviderSimulator", () => {
  it("starts all three providers on distinct ports with the default demo credentials", async () => {
    const sim = await startProviderSimulator();
    try {
      const ports = new Set([sim.whatsapp.port, sim.zapi.port, sim.zapper.port]);
      expect(ports.size).toBe(3);
      expect(sim.whatsapp.credentials).toEqual(DEFAULT_WHATSAPP_CREDENTIALS);
      expect(sim.zapi.credentials).toEqual(DEFAULT_ZAPI_CREDENTIALS);
      expect(sim.zapper.credentials).toEqual(DEFAULT_ZAPPER_CREDENTIALS);

      const zapper = await postJson(
        `${sim.zapper.baseUrl}/${DEFAULT_ZAPPER_CREDENTIALS.instanceId}/messages/buttons`,
        {
          jid: "5511999999999",
          body: "Hi",
          buttons: [{ type: "reply", displayText: "Ok", id: "ok" }],
        },
        { "x-api-key": DEFAULT_ZAPPER_CREDENTIALS.apiKey },
      );
      expect(zapper.status).toBe(200);

      sim.reset();
      expect(sim.zapper.received).toHaveLength(0);
    } finally {
      await sim.close();
    }
  });

  it("fails to start, and leaves nothing listening, when a port is taken", async () => {
    const taken = await startWhatsAppSimulator();
    // Free ports for the two that do start, so the test can check they were closed again.
    const probe = await startWhatsAppSimulator();
    const probe2 = await startWhatsAppSimulator();
    const [whatsappPort, zapperPort] = [probe.port, probe2.port];
    await Promise.all([probe.close(), probe2.close()]);
    try {
      await expect(
        startProviderSimulator({
          whatsapp: { port: whatsappPort },
          zapi: { port: taken.port },
          zapper: { port: zapperPort },
        }),
      ).rejects.toThrow(/EADDRINUSE/);
      expect(await canListenOn(whatsappPort)).toBe(true);
      expect(await canListenOn(zapperPort)).toBe(true);
    } finally {
      await taken.close();
    }
  });

  it("holds many requests on latency at once without a listener-leak warning", async () => {
    const sim = await startWhatsAppSimulator({ latencyMs: 100 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on("warning", onWarning);
    try {
      const statuses = await Promise.all(
        Array.from({ length: 30 }, () =>
          fetch(`${sim.baseUrl}/anything`).then((response) => response.status),
        ),
      );
      expect(statuses).toHaveLength(30);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual(
        [],
      );
    } finally {
      process.off("warning", onWarning);
      await sim.close();
    }
  });

  it("drops a request still waiting on latency when reset() is called", async () => {
    const sim = await startWhatsAppSimulator();
    try {
      sim.failNext({ latencyMs: 150 });
      const pending = fetch(`${sim.baseUrl}/v23.0/${sim.credentials.phoneNumberId}/messages`, {
        method: "POST",
      }).catch(() => "dropped");
      // Recorded on arrival, before the latency: wait for it rather than for a guessed time.
      await vi.waitFor(() => expect(sim.received).toHaveLength(1));
      sim.reset();
      expect(await pending).toBe("dropped");
      expect(sim.received).toHaveLength(0);
    } finally {
      await sim.close();
    }
  });

  it("keeps only the newest maxRecorded requests", async () => {
    const sim = await startWhatsAppSimulator({ maxRecorded: 2 });
    try {
      for (const path of ["/a", "/b", "/c"]) await fetch(`${sim.baseUrl}${path}`);
      expect(sim.received.map((request) => request.path)).toEqual(["/b", "/c"]);
    } finally {
      await sim.close();
    }
  });
});
