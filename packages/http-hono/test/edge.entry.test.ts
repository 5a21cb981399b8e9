import type { ExecutionContext } from "hono";
import { afterEach, describe, expect, it, type MockInstance, vi } from "vitest";
import worker, { type EdgeBindings } from "../src/edge.js";
import { minimalConfig } from "./support.js";

const context: ExecutionContext = {
  waitUntil: () => undefined,
  passThroughOnException: () => undefined,
  props: {},
};

const VALID_CONFIG = JSON.stringify(minimalConfig());

const BROKEN_CONFIG = '{"sessions":{"jwtSecret":SUPERSECRET_abcdefghijklmnopqrstuvwxyz}}';

const send = (env: EdgeBindings) =>
  worker.fetch(
    new Request("http://replykit.test/messages/interactive/send-buttons", {
      method: "POST",
      headers: { authorization: "Bearer not-a-key", "content-type": "application/json" },
      body: JSON.stringify({
        agentId: "agent-1",
        conversationId: "c1",
        body_text: "x",
        button_1_id: "a",
        button_1_title: "A",
      }),
    }),
    env,
    context,
  );

const failureLines = (log: MockInstance<typeof console.log>) =>
  log.mock.calls
    .map(([line]) => String(line))
    .filter((line) => line.includes("edge.configuration_failed"));

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the Workers entry's fetch, in process", () => {
  it("parses a failing configuration once and logs it once, until the configuration changes", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const parse = vi.spyOn(JSON, "parse");
    for (let round = 0; round < 3; round += 1) {
      const response = await send({ REPLYKIT_CONFIG: BROKEN_CONFIG });
      expect(response.status).toBe(500);
      expect(response.headers.get("x-request-id")).toBeTruthy();
    }
    expect(parse.mock.calls.filter(([text]) => text === BROKEN_CONFIG)).toHaveLength(1);
    expect(failureLines(log)).toHaveLength(1);
    expect(failureLines(log).join("\n")).not.toContain("SUPERSECRET");

    // Another source is another attempt: this one works, and is then kept.
    const working = await send({ REPLYKIT_CONFIG: VALID_CONFIG, WA_TOKEN: "t" });
    expect(working.status).toBe(401);
    expect((await send({ REPLYKIT_CONFIG: VALID_CONFIG, WA_TOKEN: "t" })).status).toBe(401);
    expect(parse.mock.calls.filter(([text]) => text === VALID_CONFIG)).toHaveLength(1);

    // A missing binding is a source of its own.
    expect((await send({})).status).toBe(500);
    expect((await send({})).status).toBe(500);
    expect(failureLines(log)).toHaveLength(2);
  });
});

describe("the Workers entry and the configuration's store", () => {
  it("refuses a PostgreSQL store rather than keep the state in one isolate's memory", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const config = JSON.stringify({
      ...minimalConfig(),
      store: { kind: "postgres", url: "postgres://replykit:SECRETPASSWORD@db.example/replykit" },
    });
    const response = await send({ REPLYKIT_CONFIG: config, WA_TOKEN: "t" });
    expect(response.status).toBe(500);
    const logged = failureLines(log).join("\n");
    expect(logged).toContain("needs the Node server");
    expect(logged).not.toContain("SECRETPASSWORD");
  });
});
