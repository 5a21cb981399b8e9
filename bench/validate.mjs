// Validate + map, per request, in this process, no I/O:
//   (a) `JSON.parse` of the request body (the baseline),
//   (b) what replykit does with the parsed body before it sends: the app's request schema
//       (`SendButtonsRequestSchema.safeParse`, as the app's handler calls it), the flat fields
//       as the core's input (`toMessageInput`), `createButtonMessage`, and the WhatsApp wire
//       body (`toRequestBody`),
//   (b+s) the same and `JSON.stringify` of the wire body (what the transport posts),
//   (c) whatsapp-api-js from the same parsed body: `Interactive` + `ActionButtons` + `Button`s
//       + `Body` + `Header`, and `JSON.stringify` of the request as its `sendMessage` builds it.
// `toMessageInput` is not exported by @replykit/http-app, so it and the schema are imported
// from its built dist/ (the same module instance the package index uses).
// Rounds of BENCH_ITERATIONS operations alternate between the four after a warm-up; per-op
// µs is the median of the rounds. Bounded: a fixed number of rounds and iterations.
// Run with `pnpm bench` (the whole suite) or `pnpm build && node bench/validate.mjs`.
// Knobs: BENCH_ITERATIONS (20000), BENCH_ROUNDS (15).
import { toRequestBody } from "@replykit/adapters-whatsapp";
import { createButtonMessage } from "@replykit/core";
import { ActionButtons, Body, Button, Header, Interactive } from "whatsapp-api-js/messages";
import { SendButtonsRequestSchema } from "../packages/http-app/dist/index.js";
import { toMessageInput } from "../packages/http-app/dist/routes/send-buttons.js";
import { fmt, machine, median, printTable } from "./lib.mjs";

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 20_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
for (const value of [ITERATIONS, ROUNDS]) {
  if (!Number.isInteger(value) || value <= 0 || value > 1_000_000) {
    throw new Error(`bench knobs must be positive integers up to 1000000, got ${value}`);
  }
}
if (ROUNDS > 50) throw new Error("BENCH_ROUNDS is at most 50");

const RECIPIENT = "5511999990001";
// A few bodies, so that no step sees one constant string only.
const bodies = Array.from({ length: 16 }, (_, index) =>
  JSON.stringify({
    agentId: "agent-bench",
    conversationId: "conv-bench",
    header_text: "Order #42",
    body_text: `Did your order arrive? #${index}`,
    button_1_id: "yes",
    button_1_title: "Yes",
    button_2_id: "no",
    button_2_title: "No",
  }),
);
const parsedBodies = bodies.map((body) => JSON.parse(body));

const replykit = (parsed) => {
  const valid = SendButtonsRequestSchema.safeParse(parsed);
  if (!valid.success) throw new Error("bench fixture is invalid");
  const built = createButtonMessage(toMessageInput(valid.data));
  if (!built.ok) throw new Error("bench fixture is invalid");
  return toRequestBody(RECIPIENT, built.value);
};
const whatsappApiJs = (parsed) => {
  const buttons = [new Button(parsed.button_1_id, parsed.button_1_title)];
  if (parsed.button_2_id !== undefined) {
    buttons.push(new Button(parsed.button_2_id, parsed.button_2_title));
  }
  if (parsed.button_3_id !== undefined) {
    buttons.push(new Button(parsed.button_3_id, parsed.button_3_title));
  }
  const message = new Interactive(
    new ActionButtons(...buttons),
    new Body(parsed.body_text),
    parsed.header_text === undefined ? undefined : new Header(parsed.header_text),
  );
  // As whatsapp-api-js's sendMessage builds the request it posts.
  return JSON.stringify({
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: RECIPIENT,
    type: message._type,
    [message._type]: message,
    recipient: undefined,
    context: undefined,
    biz_opaque_callback_data: undefined,
  });
};

// What each operation returns is kept, so that none of it can be optimised away.
let sink = 0;
const contenders = [
  {
    name: "(a) JSON.parse of the body (baseline)",
    op: (index) => {
      sink += JSON.parse(bodies[index & 15]).body_text.length;
    },
  },
  {
    name: "(b) schema + createButtonMessage + wire body",
    op: (index) => {
      sink += replykit(parsedBodies[index & 15]).interactive.action.buttons.length;
    },
  },
  {
    name: "(b+s) (b) + JSON.stringify",
    op: (index) => {
      sink += JSON.stringify(replykit(parsedBodies[index & 15])).length;
    },
  },
  {
    name: "(c) whatsapp-api-js build + JSON.stringify",
    op: (index) => {
      sink += whatsappApiJs(parsedBodies[index & 15]).length;
    },
  },
];

// The outputs agree (but for the order of keys) before anything is timed.
const canonical = (value) =>
  Array.isArray(value)
    ? value.map(canonical)
    : typeof value === "object" && value !== null
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((key) => [key, canonical(value[key])]),
        )
      : value;
const ours = canonical(JSON.parse(JSON.stringify(replykit(parsedBodies[0]))));
const theirs = canonical(JSON.parse(whatsappApiJs(parsedBodies[0])));
if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
  throw new Error(
    `the two wire bodies differ: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`,
  );
}

const machineBefore = machine();
for (const contender of contenders) {
  contender.micros = [];
  for (let index = 0; index < ITERATIONS; index += 1) contender.op(index); // warm-up
}
for (let round = 0; round < ROUNDS; round += 1) {
  for (const contender of contenders) {
    const started = performance.now();
    for (let index = 0; index < ITERATIONS; index += 1) contender.op(index);
    contender.micros.push(((performance.now() - started) * 1000) / ITERATIONS);
  }
}
if (sink === 0) throw new Error("unreachable");

for (const contender of contenders) contender.median = median(contender.micros);
const [parse, ourMap, ourMapAndStringify, theirs2] = contenders;
console.log(
  `validate + map: ${ROUNDS} alternating rounds of ${ITERATIONS} operations each; medians per operation`,
);
console.log(`machine: ${machineBefore} before, ${machine().split(", ").at(-1)} after`);
printTable([
  ["operation", "µs/op", "vs JSON.parse", "vs whatsapp-api-js"],
  ...contenders.map((contender) => [
    contender.name,
    fmt(contender.median, 2),
    `×${fmt(contender.median / parse.median, 1)}`,
    `×${fmt(contender.median / theirs2.median, 1)}`,
  ]),
]);
console.log(
  `goal: (b) ≤ ×2 JSON.parse (now ×${fmt(ourMap.median / parse.median, 1)}); ` +
    `(b+s) / (c) = ×${fmt(ourMapAndStringify.median / theirs2.median, 1)}`,
);
