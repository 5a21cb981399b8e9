// The floor bench/e2e.mjs measures replykit against: the least a Node server can do for the
// same request, written by hand on raw `node:http`. It reads the JSON body (within 64 KiB),
// checks the bearer token by a SHA-256 lookup, finds the agent and the conversation of the
// same organization, checks the fields it maps, maps the flat fields to Meta's interactive
// body, forwards it with an undici Pool (64 connections per provider, keep-alive), reads
// Meta's answer and answers the same 200 JSON as replykit. No logging, no idempotency, no
// in-flight bound, no OpenAPI, no retries: what is left is JSON, SHA-256 and undici.
// It reads the configuration file replykit reads (REPLYKIT_CONFIG; plain tokens only).
// Forked by bench/e2e.mjs, same IPC as bench/load-server.mjs; never run it by hand.
import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { Pool } from "undici";
import { watchGc } from "./gc-watch.mjs";

if (process.send === undefined) {
  console.error("bench/floor-server.mjs is started by bench/e2e.mjs");
  process.exit(2);
}
const gcTotals = watchGc();
setTimeout(() => process.exit(3), 600_000).unref();
process.on("disconnect", () => process.exit(0));

const PATH = "/messages/interactive/send-buttons";
const MAX_BODY_BYTES = 64 * 1024;
const config = JSON.parse(readFileSync(process.env.REPLYKIT_CONFIG, "utf8"));
const keys = new Map(config.apiKeys.map((key) => [key.sha256, key.organizationId]));
const agents = new Map(config.agents.map((agent) => [agent.id, agent.organizationId]));
const pools = new Map();
const channels = new Map(
  config.channelConnections.map((connection) => {
    const origin = new URL(connection.baseUrl).origin;
    if (!pools.has(origin)) {
      pools.set(origin, new Pool(origin, { connections: 64, keepAliveTimeout: 30_000 }));
    }
    return [
      connection.id,
      {
        pool: pools.get(origin),
        path: `${new URL(connection.baseUrl).pathname.replace(/\/$/, "")}/v23.0/${connection.phoneNumberId}/messages`,
        authorization: `Bearer ${connection.accessToken}`,
      },
    ];
  }),
);
const conversations = new Map(config.conversations.map((c) => [c.id, c]));

const answer = (response, status, body) => {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-request-id": randomUUID(),
  });
  response.end(text);
};
const fail = (response, status, type) => answer(response, status, { error: { type } });

const isText = (value) => typeof value === "string" && value.trim() !== "";

async function sendButtons(request, response) {
  const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? "")?.[1];
  const organization =
    bearer === undefined ? undefined : keys.get(createHash("sha256").update(bearer).digest("hex"));
  if (organization === undefined) return fail(response, 401, "unauthorized");

  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return fail(response, 413, "payload_too_large");
    chunks.push(chunk);
  }
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    return fail(response, 400, "invalid_json");
  }
  if (typeof body !== "object" || body === null) return fail(response, 400, "validation_error");
  const buttons = [];
  for (const slot of [1, 2, 3]) {
    const id = body[`button_${slot}_id`];
    const title = body[`button_${slot}_title`];
    if (id === undefined && title === undefined) break;
    if (!isText(id) || !isText(title)) return fail(response, 400, "validation_error");
    buttons.push({ type: "reply", reply: { id, title } });
  }
  if (!isText(body.body_text) || buttons.length === 0) {
    return fail(response, 400, "validation_error");
  }
  if (agents.get(body.agentId) !== organization) return fail(response, 404, "not_found");
  const conversation = conversations.get(body.conversationId);
  if (conversation?.organizationId !== organization) return fail(response, 404, "not_found");
  const channel = channels.get(conversation.channelConnectionId);

  const interactive = { type: "button" };
  if (isText(body.header_text)) interactive.header = { type: "text", text: body.header_text };
  interactive.body = { text: body.body_text };
  if (isText(body.footer_text)) interactive.footer = { text: body.footer_text };
  interactive.action = { buttons };
  const provider = await channel.pool.request({
    path: channel.path,
    method: "POST",
    headers: { authorization: channel.authorization, "content-type": "application/json" },
    body: JSON.stringify({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: conversation.recipient.replace(/\D/g, ""),
      type: "interactive",
      interactive,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const meta = await provider.body.json();
  const providerMessageId = meta?.messages?.[0]?.id;
  if (provider.statusCode !== 200 || typeof providerMessageId !== "string") {
    return fail(response, 500, "provider_error");
  }
  return answer(response, 200, {
    messageId: randomUUID(),
    providerMessageId,
    provider: "whatsapp",
    conversationId: conversation.id,
    status: "sent",
  });
}

const server = createServer((request, response) => {
  if (request.method !== "POST" || request.url !== PATH) return fail(response, 404, "not_found");
  sendButtons(request, response).catch(() => {
    if (!response.headersSent) fail(response, 500, "internal_error");
  });
});
server.keepAliveTimeout = 60_000;
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));

process.on("message", async (message) => {
  if (message?.type === "cpu") {
    process.send({ type: "cpu", ...process.cpuUsage() });
  } else if (message?.type === "memory") {
    process.send({ type: "memory", rss: process.memoryUsage().rss });
  } else if (message?.type === "gc") {
    process.send({ type: "gc", ...gcTotals() });
  } else if (message?.type === "close") {
    server.closeAllConnections();
    server.close();
    await Promise.all([...pools.values()].map((pool) => pool.close()));
    process.send({ type: "closed" }, () => process.exit(0));
  }
});
process.send({ type: "ready", url: `http://127.0.0.1:${server.address().port}` });
