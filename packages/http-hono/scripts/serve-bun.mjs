// Serves the Workers bundle unchanged with Bun.serve. Build it first (`pnpm build:edge`):
//
//   REPLYKIT_CONFIG="$(cat replykit.json)" ACME_WA_TOKEN=… PORT=3000 bun scripts/serve-bun.mjs
//
// The Worker's bindings are this process's environment: REPLYKIT_CONFIG (the configuration
// JSON itself) and the secrets it names as "env:NAME". PORT (default 3000; 0 picks a free
// one) and HOST (default 127.0.0.1) say where to listen. An optional argument names another
// bundle than dist/edge/worker.js. Prints one JSON line with the URL once listening.
const bundle = Bun.argv[2]
  ? new URL(Bun.argv[2], `file://${process.cwd()}/`)
  : new URL("../dist/edge/worker.js", import.meta.url);
const { default: worker } = await import(bundle.href);

const env = { ...Bun.env };
/** Workers' `ctx`: the promises handed to waitUntil run on; a failure is logged. */
const context = {
  waitUntil(promise) {
    Promise.resolve(promise).catch((error) => console.error(error));
  },
  passThroughOnException() {},
  props: {},
};

const server = Bun.serve({
  hostname: Bun.env.HOST ?? "127.0.0.1",
  port: Number(Bun.env.PORT ?? 3000),
  fetch(request, server) {
    // The entry counts failed authentications per `cf-connecting-ip`, which Cloudflare sets
    // on every request: here the socket's address takes its place, whatever the client sent.
    const headers = new Headers(request.headers);
    headers.set("cf-connecting-ip", server.requestIP(request)?.address ?? "unknown");
    return worker.fetch(new Request(request, { headers }), env, context);
  },
});
console.log(
  JSON.stringify({
    level: "info",
    event: "server.listening",
    runtime: "bun",
    url: server.url.href,
  }),
);
