// The promises that must hold across instances and restarts, proven with the real entry point
// in child processes sharing the machine's PostgreSQL: each test has a schema of its own.
import { createPostgresStore, type PostgresStore } from "@replykit/store-postgres";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { bundleMain, type MainBundle, type Running, startMain } from "./main-process.js";
import {
  API_KEY,
  APP_SECRET,
  type SendFate,
  sendWithKey,
  slowProviderSetup,
} from "./shutdown-fixture.js";

const DATABASE_URL =
  process.env.REPLYKIT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const LEASE_MS = 1_000;

let main: MainBundle;
beforeAll(async () => {
  main = await bundleMain();
}, 60_000);
afterAll(async () => main?.remove());

/** Everything a test started, stopped after it whatever happened. */
const cleanUps: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanUp of cleanUps.splice(0).reverse()) await cleanUp().catch(() => undefined);
});

/** A WhatsApp simulator and a configuration on a fresh schema of the PostgreSQL store. */
async function fleetSetup(latencyMs: number) {
  const schema = `replykit_fleet_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const setup = await slowProviderSetup(
    { latencyMs },
    {
      store: {
        kind: "postgres",
        url: "env:FLEET_DATABASE_URL",
        schema,
        migrate: true,
        leaseMs: LEASE_MS,
      },
    },
  );
  const inspector: PostgresStore = createPostgresStore({
    url: DATABASE_URL,
    schema,
    sweepIntervalMs: 0,
  });
  cleanUps.push(async () => {
    await setup.cleanUp();
    await inspector.sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await inspector.close(1);
  });
  const env = { ...setup.env, FLEET_DATABASE_URL: DATABASE_URL };
  const start = async () => {
    const instance = await startMain(main, env);
    cleanUps.push(async () => {
      instance.child.kill("SIGKILL");
      await instance.exited;
    });
    return instance;
  };
  /** How many times the provider acted on a send: each is one delivery. */
  const deliveries = () => setup.simulator.received.filter((request) => request.processed).length;
  return { setup, inspector, start, deliveries };
}

const messageOf = async (instance: Running, messageId: string) => {
  const response = await fetch(`${instance.url}/messages/${messageId}`, {
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const errorCodeOf = (fate: SendFate) =>
  "body" in fate ? (fate.body as { error?: { code?: string } }).error?.code : fate.error;

describe("two server processes on one PostgreSQL", () => {
  it("send once for 50 concurrent requests with one Idempotency-Key spread across both", async () => {
    const fleet = await fleetSetup(300);
    const [a, b] = await Promise.all([fleet.start(), fleet.start()]);
    const fates = await Promise.all(
      Array.from({ length: 50 }, (_, index) => sendWithKey((index % 2 === 0 ? a : b).url, "k-50")),
    );
    expect(fleet.deliveries()).toBe(1);
    const sent = fates.filter((fate) => "status" in fate && fate.status === 200);
    const refused = fates.filter((fate) => errorCodeOf(fate) === "idempotency_key_in_progress");
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.length + refused.length).toBe(50);
    // Every success is the one send's result, and a later repeat on either instance replays it.
    const [first] = sent;
    for (const fate of sent) expect(fate).toEqual(first);
    expect(await sendWithKey(b.url, "k-50")).toEqual(first);
    expect(await sendWithKey(a.url, "k-50")).toEqual(first);
    expect(fleet.deliveries()).toBe(1);
  });

  it("records on one instance the status a webhook brought to the other", async () => {
    const fleet = await fleetSetup(0);
    const [a, b] = await Promise.all([fleet.start(), fleet.start()]);
    const fate = await sendWithKey(a.url, "k-status");
    expect(fate).toMatchObject({ status: 200 });
    const { messageId, providerMessageId } = (fate as { body: Record<string, string> }).body;
    const delivery = await fleet.setup.simulator.webhooks.status({
      url: `${b.url}/webhooks/acme-wa`,
      appSecret: APP_SECRET,
      messageId: String(providerMessageId),
      status: "read",
    });
    expect(delivery.status).toBe(200);
    expect(await messageOf(a, String(messageId))).toMatchObject({
      status: 200,
      body: { messageId, status: "read" },
    });
  });
});

describe("a restart on PostgreSQL", () => {
  it("keeps every key, message and status: a repeat replays, the message reads as before", async () => {
    const fleet = await fleetSetup(0);
    const first = await fleet.start();
    const fate = await sendWithKey(first.url, "k-restart");
    const { messageId, providerMessageId } = (fate as { body: Record<string, string> }).body;
    await fleet.setup.simulator.webhooks.status({
      url: `${first.url}/webhooks/acme-wa`,
      appSecret: APP_SECRET,
      messageId: String(providerMessageId),
      status: "delivered",
    });
    first.child.kill("SIGTERM");
    await first.exited;

    const again = await fleet.start();
    expect(await sendWithKey(again.url, "k-restart")).toEqual(fate);
    expect(await messageOf(again, String(messageId))).toMatchObject({
      status: 200,
      body: { messageId, status: "delivered" },
    });
    expect(fleet.deliveries()).toBe(1);
  });

  it("after a SIGKILL mid-send: the repeat gets idempotency_outcome_unknown, never a second send", async () => {
    const fleet = await fleetSetup(5_000);
    const doomed = await fleet.start();
    const cut = sendWithKey(doomed.url, "k-killed");
    // The provider has the request: the message may be delivered, and its answer never read.
    await expect.poll(() => fleet.setup.simulator.received.length, { timeout: 5_000 }).toBe(1);
    doomed.child.kill("SIGKILL");
    await doomed.exited;
    expect(await cut).toHaveProperty("error");

    const restarted = await fleet.start();
    // Within the lease, the claim may still be a live send elsewhere: in progress.
    const early = await sendWithKey(restarted.url, "k-killed");
    expect(errorCodeOf(early)).toBe("idempotency_key_in_progress");
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 200));
    const late = await sendWithKey(restarted.url, "k-killed");
    expect(late).toMatchObject({ status: 409 });
    expect(errorCodeOf(late)).toBe("idempotency_outcome_unknown");
    expect(fleet.setup.simulator.received).toHaveLength(1);
    const [row] = await fleet.inspector.sql<{ state: string }[]>`
      SELECT state FROM replykit_idempotency_keys WHERE key = 'k-killed'`;
    expect(row?.state).toBe("outcome_unknown");
  });
});
