// Outbound: BENCH_SENDS reply-button sends, BENCH_CONCURRENCY at a time, to the loopback Graph
// fake (bench/graph-fake.mjs, its own process, answering at once), through
//   - replykit's WhatsApp channel (`createWhatsAppChannel`) with `undiciTransport()`,
//   - the same channel with the default transport (global `fetch`),
//   - bare undici `request()` of the same Meta body (JSON.stringify per send, answer parsed):
//     the floor,
//   - whatsapp-api-js (`sendMessage` of an `Interactive` with `ActionButtons`; it uses the
//     global `fetch`, given as its `ponyfill.fetch` with graph.facebook.com swapped for the
//     fake's origin, the only way to point it elsewhere).
// The message is built once for each; a send maps, serialises, posts and reads the answer.
// Rounds alternate between the four so that drift of the machine touches all alike; medians
// of msgs/s, then ratios against bare undici and against whatsapp-api-js.
//
// Bounded and loopback only: a fixed number of sends per round, each with a 10 s timeout.
// Run with `pnpm bench` (the whole suite) or `pnpm build && node bench/outbound.mjs`.
// Knobs: BENCH_SENDS (5000), BENCH_CONCURRENCY (32), BENCH_ROUNDS (3),
// BENCH_PROVIDER ("fake", or "simulator": the WhatsApp simulator in this process instead).
import { fileURLToPath } from "node:url";
import { createWhatsAppChannel, toRequestBody } from "@replykit/adapters-whatsapp";
import { AttemptAbort, createButtonMessage } from "@replykit/core";
import { undiciTransport } from "@replykit/http-transport/undici";
import { startWhatsAppSimulator } from "@replykit/provider-simulator";
import { Agent, request } from "undici";
import { WhatsAppAPI } from "whatsapp-api-js";
import { ActionButtons, Body, Button, Header, Interactive } from "whatsapp-api-js/messages";
import { fmt, forkChild, machine, median, printTable } from "./lib.mjs";

const SENDS = Number(process.env.BENCH_SENDS ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROVIDER = process.env.BENCH_PROVIDER ?? "fake";
for (const value of [SENDS, CONCURRENCY, ROUNDS]) {
  if (!Number.isInteger(value) || value <= 0 || value > 100_000) {
    throw new Error(`bench knobs must be positive integers up to 100000, got ${value}`);
  }
}
if (ROUNDS > 20) throw new Error("BENCH_ROUNDS is at most 20");
if (PROVIDER !== "fake" && PROVIDER !== "simulator") {
  throw new Error(`BENCH_PROVIDER is "fake" or "simulator", not ${PROVIDER}`);
}

const RECIPIENT = "5511999990000";
const API_VERSION = "v23.0";
const GRAPH = "https://graph.facebook.com";

const machineBefore = machine();
let provider;
if (PROVIDER === "fake") {
  const fake = await forkChild(fileURLToPath(new URL("./graph-fake.mjs", import.meta.url)), {
    args: ["--child"],
  });
  provider = {
    baseUrl: fake.url,
    accessToken: "bench-graph-token",
    phoneNumberId: "100000000000001",
    count: async () => (await fake.ask("stats")).count,
    close: () => fake.close(),
  };
} else {
  const simulator = await startWhatsAppSimulator({ maxRecorded: 1 });
  provider = {
    baseUrl: simulator.baseUrl,
    ...simulator.credentials,
    count: async () => simulator.counts().processed,
    close: () => simulator.close(),
  };
}

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
const wire = toRequestBody(RECIPIENT, message);
const messagesUrl = `${provider.baseUrl}/${API_VERSION}/${provider.phoneNumberId}/messages`;

const undici = undiciTransport();
const bareAgent = new Agent({ connections: 64, keepAliveTimeout: 30_000 });
const whatsappApiJs = new WhatsAppAPI({
  token: provider.accessToken,
  v: API_VERSION,
  secure: false,
  ponyfill: { fetch: (url, init) => fetch(provider.baseUrl + url.slice(GRAPH.length), init) },
});
const interactive = new Interactive(
  new ActionButtons(new Button("yes", "Yes"), new Button("no", "No")),
  new Body("Did your order arrive?"),
  new Header("Order #42"),
);
const channel = (transport) =>
  createWhatsAppChannel({
    accessToken: provider.accessToken,
    phoneNumberId: provider.phoneNumberId,
    baseUrl: provider.baseUrl,
    ...(transport === undefined ? {} : { transport }),
  });
const viaUndici = channel(undici);
const viaFetch = channel(undefined);
/**
 * A send's deadline as the core gives one to each attempt (`sendAttempt`): an
 * `AttemptAbort`, whose `AbortSignal` is made only if the channel reads it, and one timer,
 * cleared when the send settles; the channel is told that it aborts within
 * ATTEMPT_TIMEOUT_MS (`signalTimeoutMs`). Bare undici's `request()` needs a real signal: it
 * gets one `AbortController` and one timer. (`AbortSignal.timeout` would cost ~7 µs a send
 * on Node 20, more than the rest of the bookkeeping.)
 */
const ATTEMPT_TIMEOUT_MS = 10_000;
const withAttempt = async (send) => {
  const attempt = new AttemptAbort("bench", ATTEMPT_TIMEOUT_MS);
  const timer = setTimeout(
    () => attempt.abort(new DOMException("the attempt timed out", "TimeoutError")),
    ATTEMPT_TIMEOUT_MS,
  );
  try {
    return await send(attempt);
  } finally {
    clearTimeout(timer);
  }
};
const withDeadline = async (send) => {
  const attempt = new AbortController();
  const timer = setTimeout(() => attempt.abort(), ATTEMPT_TIMEOUT_MS);
  try {
    return await send(attempt.signal);
  } finally {
    clearTimeout(timer);
  }
};

const contenders = [
  {
    name: "replykit, undiciTransport()",
    send: () => withAttempt((attempt) => viaUndici.send(RECIPIENT, message, attempt)),
  },
  {
    name: "replykit, default (fetch)",
    send: () => withAttempt((attempt) => viaFetch.send(RECIPIENT, message, attempt)),
  },
  {
    name: "bare undici request()",
    send: () =>
      withDeadline(async (signal) => {
        const response = await request(messagesUrl, {
          method: "POST",
          dispatcher: bareAgent,
          headers: {
            authorization: `Bearer ${provider.accessToken}`,
            "content-type": "application/json",
          },
          body: JSON.stringify(wire),
          signal,
        });
        const answer = await response.body.json();
        if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
        return answer;
      }),
  },
  {
    name: "whatsapp-api-js (fetch)",
    send: () => whatsappApiJs.sendMessage(provider.phoneNumberId, RECIPIENT, interactive),
  },
];

/** `count` sends, CONCURRENCY at a time; ms taken and failures. */
async function round(contender, count) {
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      try {
        await contender.send();
      } catch {
        failures += 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ms: performance.now() - started, failures };
}

try {
  for (const contender of contenders) {
    contender.rates = [];
    contender.failures = 0;
    contender.delivered = 0;
    await round(contender, Math.min(SENDS, 1_000)); // warm-up: connections, JIT
  }
  for (let index = 0; index < ROUNDS; index += 1) {
    for (const contender of contenders) {
      const before = await provider.count();
      const { ms, failures } = await round(contender, SENDS);
      contender.delivered += (await provider.count()) - before;
      contender.rates.push((SENDS / ms) * 1000);
      contender.failures += failures;
    }
  }
} finally {
  await undici.close();
  await bareAgent.close();
  await provider.close();
}

for (const contender of contenders) contender.rate = median(contender.rates);
const [replykitUndici, replykitFetch, bare, other] = contenders;
console.log(
  `outbound: ${ROUNDS} alternating rounds of ${SENDS} sends, ${CONCURRENCY} at a time, → loopback ` +
    `${PROVIDER === "fake" ? "Graph fake" : "WhatsApp simulator"}; medians`,
);
console.log(`machine: ${machineBefore} before, ${machine().split(", ").at(-1)} after`);
printTable([
  ["sender", "msgs/s", "vs bare undici", "vs whatsapp-api-js", "failed", "reached the provider"],
  ...contenders.map((contender) => [
    contender.name,
    fmt(contender.rate),
    `×${fmt(contender.rate / bare.rate, 2)}`,
    `×${fmt(contender.rate / other.rate, 2)}`,
    String(contender.failures),
    `${contender.delivered} of ${SENDS * ROUNDS}`,
  ]),
]);
console.log(
  `goals: undiciTransport() ≥ ×0.9 bare undici (now ×${fmt(replykitUndici.rate / bare.rate, 2)}); ` +
    `default fetch transport ≥ ×1 whatsapp-api-js (now ×${fmt(replykitFetch.rate / other.rate, 2)})`,
);
