// Serves the Workers bundle unchanged with Deno.serve. Build it first (`pnpm build:edge`):
//
//   REPLYKIT_CONFIG="$(cat replykit.json)" ACME_WA_TOKEN=… PORT=3000 deno run \
//     --allow-env --allow-net --allow-read=dist --unstable-no-legacy-abort scripts/serve-deno.mjs
//
// --unstable-no-legacy-abort: the app passes request.signal on to the send, to start none for
// a client that hung up (as on workerd and Node). Without the flag Deno also aborts that
// signal after every successful response, and warns that it does.
//
// The Worker's bindings are this process's environment: REPLYKIT_CONFIG (the configuration
// JSON itself) and the secrets it names as "env:NAME". PORT (default 3000; 0 picks a free
// one) and HOST (default 127.0.0.1) say where to listen. An optional argument names another
// bundle than dist/edge/worker.js. Prints one JSON line with the URL once listening.
const bundle = Deno.args[0]
  ? new URL(Deno.args[0], `file://${Deno.cwd()}/`)
  : new URL("../dist/edge/worker.js", import.meta.url);
const { default: worker } = await import(bundle.href);

const env = Deno.env.toObject();
/** Workers' `ctx`: the promises handed to waitUntil run on; a failure is logged. */
const context = {
  waitUntil(promise) {
    Promise.resolve(promise).catch((error) => console.error(error));
  },
  passThroughOnException() {},
  props: {},
};

Deno.serve(
  {
    hostname: env.HOST ?? "127.0.0.1",
    port: Number(env.PORT ?? 3000),
    onListen({ hostname, port }) {
      const url = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}/`;
      console.log(
        JSON.stringify({ level: "info", event: "server.listening", runtime: "deno", url }),
      );
    },
  },
  (request, info) => {
    // The entry counts failed authentications per `cf-connecting-ip`, which Cloudflare sets
    // on every request: here the socket's address takes its place, whatever the client sent.
    const headers = new Headers(request.headers);
    headers.set("cf-connecting-ip", info.remoteAddr.hostname);
    return worker.fetch(new Request(request, { headers }), env, context);
  },
);
