import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProviderSimulator } from "@replykit/provider-simulator";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain ESM build script, without type declarations
import { buildEdgeBundle } from "../scripts/build-edge.mjs";
import {
  DEMO_AGENT_ID,
  DEMO_API_KEY,
  DEMO_CONVERSATIONS,
  demoConfig,
} from "../src/demo/demo-config.js";

interface BundleInfo {
  readonly outfile: string;
  readonly minifiedBytes: number;
  readonly gzippedBytes: number;
}

let folder: string;
let bundle: BundleInfo;
let simulators: Awaited<ReturnType<typeof startProviderSimulator>>;
let worker: Miniflare;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "replykit-edge-"));
  bundle = (await buildEdgeBundle(join(folder, "worker.js"))) as BundleInfo;
  simulators = await startProviderSimulator();
  const config = await demoConfig(simulators);
  worker = new Miniflare({
    modules: true,
    script: await readFile(bundle.outfile, "utf8"),
    compatibilityDate: "2025-07-01",
    bindings: { REPLYKIT_CONFIG: JSON.stringify(config) },
  });
  await worker.ready;
}, 60_000);

afterAll(async () => {
  await worker?.dispose();
  await simulators?.close();
  if (folder) await rm(folder, { recursive: true });
});

describe("the Workers entry under workerd", () => {
  it("bundles without any Node built-in", () => {
    // The build throws when the bundle would need a module it cannot inline (node:*, fs…).
    expect(bundle.minifiedBytes).toBeGreaterThan(0);
    console.info(
      `edge bundle: ${(bundle.minifiedBytes / 1024).toFixed(1)} KiB minified, ${(bundle.gzippedBytes / 1024).toFixed(1)} KiB min+gzip`,
    );
  });

  it.each(Object.entries(DEMO_CONVERSATIONS))(
    "sends buttons through %s from inside workerd",
    async (provider, conversationId) => {
      const response = await worker.dispatchFetch(
        "http://replykit.test/messages/interactive/send-buttons",
        {
          method: "POST",
          headers: { authorization: `Bearer ${DEMO_API_KEY}`, "content-type": "application/json" },
          body: JSON.stringify({
            agentId: DEMO_AGENT_ID,
            conversationId,
            body_text: "Sent from the edge",
            button_1_id: "ok",
            button_1_title: "OK",
          }),
        },
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ provider, status: "sent" });
      const simulator = simulators[provider as keyof typeof DEMO_CONVERSATIONS];
      expect(simulator.received.at(-1)?.rawBody).toContain("Sent from the edge");
    },
  );

  it("answers the contract's errors from inside workerd", async () => {
    const response = await worker.dispatchFetch(
      "http://replykit.test/messages/interactive/send-buttons",
      {
        method: "POST",
        headers: { authorization: "Bearer not-a-key", "content-type": "application/json" },
        body: JSON.stringify({
          agentId: DEMO_AGENT_ID,
          conversationId: DEMO_CONVERSATIONS.whatsapp,
          body_text: "x",
          button_1_id: "a",
          button_1_title: "A",
        }),
      },
    );
    expect(response.status).toBe(401);
    expect(response.headers.get("x-request-id")).toBeTruthy();
  });
});
