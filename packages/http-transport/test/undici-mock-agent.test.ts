import { MockAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { postJson } from "../src/index.js";
import { undiciTransport } from "../src/undici.js";

describe("undiciTransport with a dispatcher of the caller's", () => {
  let agent: MockAgent;
  afterEach(() => agent.close());

  it("sends through the given dispatcher, so tests can use MockAgent", async () => {
    agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get("https://provider.example")
      .intercept({ path: "/send", method: "POST", body: '{"a":1}' })
      .reply(200, { ok: true }, { headers: { "retry-after": "Wed, 25 Nov 2099 12:00:00 GMT" } });
    const answer = await postJson({
      provider: "acme",
      transport: undiciTransport({ dispatcher: agent }),
      url: "https://provider.example/send",
      headers: {},
      json: { a: 1 },
      timeoutMs: 1_000,
      signal: new AbortController().signal,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ ok: true });
    expect(answer.retryAfterMs).toBeGreaterThan(0);
    agent.assertNoPendingInterceptors();
  });
});
