// The server under load, in its own process so that its RSS and its event loop are its own:
// `startStandalone` (the Node entry operators run) with REPLYKIT_CONFIG pointing at the
// file the parent wrote. Started by bench/load.mjs or bench/store.mjs over IPC; never run it
// by hand.
import { startStandalone } from "@replykit/http-hono/node";
import { watchGc } from "./gc-watch.mjs";

if (process.send === undefined) {
  console.error(
    "bench/load-server.mjs is started by bench/load.mjs, bench/store.mjs or bench/e2e.mjs",
  );
  process.exit(2);
}
const gcTotals = watchGc();

// Bounded: whatever happens to the parent, this process ends.
const LIFETIME_MS = Number(process.env.BENCH_SERVER_LIFETIME_MS ?? 600_000);
setTimeout(() => process.exit(3), LIFETIME_MS).unref();
process.on("disconnect", () => process.exit(0));

const server = await startStandalone({
  env: { REPLYKIT_CONFIG: process.env.REPLYKIT_CONFIG, PORT: "0", LOG_LEVEL: "error" },
  // Thousands of failed sends would each write a line; the bench counts statuses instead.
  writeLog: () => {},
});

process.on("message", async (message) => {
  if (message?.type === "memory") {
    process.send({ type: "memory", rss: process.memoryUsage().rss });
  } else if (message?.type === "cpu") {
    // This process's CPU time so far (user + system, µs, every thread of it).
    process.send({ type: "cpu", ...process.cpuUsage() });
  } else if (message?.type === "gc") {
    process.send({ type: "gc", ...gcTotals() });
  } else if (message?.type === "close") {
    await server.close();
    process.send({ type: "closed" }, () => process.exit(0));
  }
});
process.send({ type: "ready", url: server.url });
