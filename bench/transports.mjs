// Throughput of the two HTTP transports through the WhatsApp adapter against the loopback
// simulator. The global fetch transport is the baseline; rounds alternate between the two
// so that drift of the machine touches both alike. Run with `pnpm bench` (builds first).
import { createWhatsAppChannel } from "@replykit/adapters-whatsapp";
import { createButtonMessage } from "@replykit/core";
import { fetchTransport } from "@replykit/http-transport";
import { undiciTransport } from "@replykit/http-transport/undici";
import { startWhatsAppSimulator } from "@replykit/provider-simulator";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SENDS_PER_ROUND = Number(process.env.BENCH_SENDS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

const built = createButtonMessage({
  header: "Order #42",
  body: "Did your order arrive?",
  buttons: [
    { id: "yes", title: "Yes" },
    { id: "no", title: "No" },
  ],
});
if (!built.ok) throw new Error("bench fixture is invalid");
const message = built.value;

async function round(channel) {
  let next = 0;
  const worker = async () => {
    while (next < SENDS_PER_ROUND) {
      next += 1;
      await channel.send("5511999990000", message, {
        requestId: "bench",
        signal: AbortSignal.timeout(10_000),
      });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - started;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const simulator = await startWhatsAppSimulator();
const undici = undiciTransport({ connections: CONCURRENCY });
const contenders = [
  { name: "fetch (baseline)", transport: fetchTransport() },
  { name: "undici keep-alive", transport: undici },
];
for (const contender of contenders) {
  contender.channel = createWhatsAppChannel({
    ...simulator.credentials,
    baseUrl: simulator.baseUrl,
    transport: contender.transport,
  });
  contender.times = [];
  await round(contender.channel); // warm-up: connections, JIT
}
for (let index = 0; index < ROUNDS; index += 1) {
  for (const contender of contenders) {
    contender.times.push(await round(contender.channel));
    simulator.clear();
  }
}
await undici.close();
await simulator.close();

const baseline = median(contenders[0].times);
console.log(
  `${ROUNDS} rounds of ${SENDS_PER_ROUND} sends, ${CONCURRENCY} at a time, WhatsApp adapter → loopback simulator`,
);
console.log("transport            median ms/round   sends/s   speed vs baseline");
for (const contender of contenders) {
  const ms = median(contender.times);
  console.log(
    `${contender.name.padEnd(20)} ${ms.toFixed(1).padStart(15)} ${((SENDS_PER_ROUND / ms) * 1000).toFixed(0).padStart(9)} ${(baseline / ms).toFixed(2).padStart(18)}x`,
  );
}
