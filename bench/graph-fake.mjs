// A loopback stand-in for Meta's Graph API that costs as little as it can: raw `node:http`,
// it reads the request body whole and answers every `POST /vNN.N/<id>/messages` that carries
// a bearer token with Meta's success body at once (no validation, no records), anything else
// 404 or 401. The benches that compare a sender against a floor (bench/e2e.mjs,
// bench/outbound.mjs) use it for both sides, so that the provider is never what limits them:
// the WhatsApp simulator validates every body and keeps records, and a fast sender would
// measure the simulator. Forked by those benches (IPC: "ready" with its URL, "stats" with its
// CPU time and count); never run it by hand.
import { createServer } from "node:http";

const MESSAGES_PATH = /^\/v\d+\.\d+\/[^/]+\/messages\/?$/;

/** Starts the fake on a free loopback port; `count()` is the number of 200s answered. */
export async function startGraphFake() {
  let answered = 0;
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || !MESSAGES_PATH.test(request.url ?? "")) {
        response.writeHead(404, { "content-type": "application/json" });
        response.end('{"error":{"message":"Unknown path","type":"OAuthException","code":100}}');
        return;
      }
      if (!request.headers.authorization?.startsWith("Bearer ")) {
        response.writeHead(401, { "content-type": "application/json" });
        response.end(
          '{"error":{"message":"Invalid OAuth access token","type":"OAuthException","code":190}}',
        );
        return;
      }
      answered += 1;
      const body = `{"messaging_product":"whatsapp","contacts":[{"input":"5511999990000","wa_id":"5511999990000"}],"messages":[{"id":"wamid.BENCH${answered}"}]}`;
      response.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
      });
      response.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    count: () => answered,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (process.send !== undefined && process.argv[2] === "--child") {
  // Bounded: whatever happens to the parent, this process ends.
  setTimeout(() => process.exit(3), 600_000).unref();
  process.on("disconnect", () => process.exit(0));
  const fake = await startGraphFake();
  process.on("message", async (message) => {
    if (message?.type === "stats") {
      process.send({ type: "stats", count: fake.count(), ...process.cpuUsage() });
    } else if (message?.type === "close") {
      await fake.close();
      process.send({ type: "closed" }, () => process.exit(0));
    }
  });
  process.send({ type: "ready", url: fake.baseUrl });
}
