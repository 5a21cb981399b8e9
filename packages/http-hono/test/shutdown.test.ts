import { request as httpRequest } from "node:http";
import { createJsonLogger } from "@replykit/http-app";
import { describe, expect, it } from "vitest";
import { listen } from "../src/node/server.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request's fate: its status and `Connection` header, or the error that ended it. */
type Fate =
  | { readonly status: number; readonly connection: string | undefined; readonly body: string }
  | { readonly error: string };

/** One request on its own connection (no agent), so each fate is the server's doing alone. */
const send = (url: string, path = "/") =>
  new Promise<Fate>((resolve) => {
    const request = httpRequest(`${url}${path}`, { agent: false }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (data: string) => {
        body += data;
      });
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          connection: response.headers.connection,
          body,
        }),
      );
      response.on("error", (error) => resolve({ error: error.message }));
    });
    request.on("error", (error) => resolve({ error: error.message }));
    request.end();
  });

describe("closing the Node server", () => {
  it("lets requests in flight finish, answers them with Connection: close, and resolves as soon as they are done", async () => {
    const lines: Record<string, unknown>[] = [];
    const app = {
      fetch: async () => {
        await sleep(150);
        return new Response("done");
      },
    };
    const server = await listen(app, {
      port: 0,
      hostname: "127.0.0.1",
      closeGraceMs: 5_000,
      logger: createJsonLogger({ write: (line) => lines.push(JSON.parse(line)) }),
    });
    const inFlight = [send(server.url), send(server.url)];
    await sleep(40);
    const startedAt = Date.now();
    const report = await server.close();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(await Promise.all(inFlight)).toEqual([
      { status: 200, connection: "close", body: "done" },
      { status: 200, connection: "close", body: "done" },
    ]);
    expect(report).toMatchObject({ inFlightAtClose: 2, drained: true, interrupted: 0, cut: 0 });
    expect(await send(server.url)).toHaveProperty("error");
    expect(lines.map((line) => line.event)).toEqual(["server.closing", "server.closed"]);
  });

  it("waits for a handler that outlives its client: that handler may still be sending", async () => {
    let finished = false;
    const app = {
      fetch: async () => {
        await sleep(300);
        finished = true;
        return new Response("late");
      },
    };
    const server = await listen(app, { port: 0, hostname: "127.0.0.1", closeGraceMs: 5_000 });
    const request = httpRequest(server.url, { agent: false });
    request.on("error", () => undefined);
    request.end();
    await sleep(50);
    request.destroy();
    await sleep(20);
    await server.close();
    expect(finished).toBe(true);
  });

  it("when the grace period ends, aborts interrupt, lets interrupted requests answer, cuts the rest, and resolves within grace + interrupt grace", async () => {
    const interrupt = new AbortController();
    const lines: Record<string, unknown>[] = [];
    const app = {
      fetch: async (request: Request) => {
        if (new URL(request.url).pathname === "/obedient") {
          // What the send-buttons route does with its shutdown signal: stop and answer.
          await new Promise((resolve) => interrupt.signal.addEventListener("abort", resolve));
          return new Response("interrupted", { status: 503 });
        }
        // A handler that ignores the signal: only cutting its connection ends it.
        await new Promise(() => undefined);
        return new Response("never");
      },
    };
    const server = await listen(app, {
      port: 0,
      hostname: "127.0.0.1",
      closeGraceMs: 200,
      interrupt,
      interruptGraceMs: 300,
      logger: createJsonLogger({ write: (line) => lines.push(JSON.parse(line)) }),
    });
    const obedient = send(server.url, "/obedient");
    const stubborn = send(server.url, "/stubborn");
    await sleep(50);
    const startedAt = Date.now();
    const report = await server.close();
    const took = Date.now() - startedAt;
    expect(took).toBeGreaterThanOrEqual(480);
    expect(took).toBeLessThan(1_200);
    expect(interrupt.signal.aborted).toBe(true);
    expect(await obedient).toEqual({ status: 503, connection: "close", body: "interrupted" });
    expect(await stubborn).toHaveProperty("error");
    expect(report).toMatchObject({ inFlightAtClose: 2, drained: false, interrupted: 2, cut: 1 });
    expect(lines.map((line) => [line.level, line.event])).toEqual([
      ["info", "server.closing"],
      ["warn", "server.grace_expired"],
      ["warn", "server.closed"],
    ]);
  });

  it("closes idle keep-alive connections at once instead of waiting for their timeout", async () => {
    const app = { fetch: () => new Response("ok") };
    const server = await listen(app, { port: 0, hostname: "127.0.0.1", closeGraceMs: 5_000 });
    // A keep-alive connection left idle after its answer.
    const { Agent } = await import("node:http");
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      httpRequest(server.url, { agent }, (response) => {
        response.resume();
        response.on("end", resolve);
      })
        .on("error", reject)
        .end();
    });
    const startedAt = Date.now();
    const report = await server.close();
    expect(Date.now() - startedAt).toBeLessThan(500);
    expect(report).toMatchObject({ drained: true, cut: 0 });
    agent.destroy();
  });

  it("returns the same report when called twice", async () => {
    const server = await listen(
      { fetch: () => new Response("ok") },
      {
        port: 0,
        hostname: "127.0.0.1",
      },
    );
    const [first, second] = await Promise.all([server.close(), server.close()]);
    expect(second).toBe(first);
  });
});
