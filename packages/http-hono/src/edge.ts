import {
  addressFromHeader,
  createJsonLogger,
  internalError,
  isSaneRequestId,
  REQUEST_ID_HEADER,
} from "@replykit/http-app";
import type { ExecutionContext } from "hono";
import { createEdgeApp } from "./composition/edge-app.js";
import { ConfigError, parseServerConfigJson } from "./config/load-config.js";

/** Worker bindings: `REPLYKIT_CONFIG` (the configuration as JSON) and the secrets it names. */
export interface EdgeBindings {
  readonly REPLYKIT_CONFIG?: string;
  readonly [binding: string]: unknown;
}

type ConfiguredApp = ReturnType<typeof createEdgeApp>;

/** What one configuration source gave: an app, or the reason there is none. */
type Built =
  | { readonly ok: true; readonly app: ConfiguredApp }
  | { readonly ok: false; readonly error: unknown };

// A Worker isolate serves many requests: the configuration is parsed and the ports are
// wired once per source, then rebuilt only if the bound configuration changes. A failure is
// kept the same way, so that a broken configuration is neither parsed again on every
// request nor logged on every request.
let built: { readonly source: string | undefined; readonly result: Built } | undefined;

/** Where the configuration failure is told, once per source; `console.log` is what Workers collect. */
const logger = createJsonLogger();

const MISSING_BINDING = new ConfigError(
  "the REPLYKIT_CONFIG binding is missing: bind the configuration JSON to it",
);

function stringBindings(env: EdgeBindings): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

function build(source: string | undefined, env: EdgeBindings): Built {
  if (source === undefined) return { ok: false, error: MISSING_BINDING };
  try {
    const config = parseServerConfigJson(source, stringBindings(env));
    if (config.store !== undefined && config.store.kind !== "memory") {
      // Serving it on one isolate's memory instead would quietly break every shared promise.
      throw new ConfigError(
        `store.kind "${config.store.kind}" needs the Node server: the Workers entry keeps its state in the isolate's memory only`,
      );
    }
    return {
      ok: true,
      app: createEdgeApp(config, {
        // Cloudflare sets it on every request, replacing whatever the client sent.
        clientAddress: addressFromHeader("cf-connecting-ip"),
      }),
    };
  } catch (error) {
    return { ok: false, error };
  }
}

function resultFor(env: EdgeBindings, requestId: () => string): Built {
  const source = env.REPLYKIT_CONFIG;
  if (built !== undefined && built.source === source) return built.result;
  const result = build(source, env);
  built = { source, result };
  if (!result.ok) {
    // Once per source. Redacted by the JSON logger; the messages themselves name paths and
    // rules, never values (ConfigError), or positions only (JSON syntax errors).
    const { error } = result;
    logger.log("error", "edge.configuration_failed", {
      requestId: requestId(),
      errorName: error instanceof Error ? error.name : typeof error,
      errorMessage: error instanceof Error ? error.message : "the configuration could not be used",
    });
  }
  return result;
}

/**
 * The contract's 500 `internal_error` envelope, with the request id in the body and the
 * `X-Request-Id` header, as the app itself would answer a defect: Workers would otherwise
 * answer an exception with its own error page (1101), outside the contract.
 */
function configurationFailure(requestId: string): Response {
  const { status, envelope } = internalError(requestId);
  return new Response(JSON.stringify(envelope), {
    status,
    headers: { "Content-Type": "application/json", [REQUEST_ID_HEADER]: requestId },
  });
}

/**
 * The Cloudflare Workers entry (`main` in wrangler.toml). Adapters use the global `fetch`;
 * the idempotency store lives in the isolate, so keys are honoured per isolate only.
 */
export default {
  fetch(
    request: Request,
    env: EdgeBindings,
    context: ExecutionContext,
  ): Response | Promise<Response> {
    let requestId: string | undefined;
    // Made only when needed (a failure), and then the same for the log and the answer.
    const requestIdOf = () => {
      if (requestId === undefined) {
        const incoming = request.headers.get(REQUEST_ID_HEADER) ?? undefined;
        requestId = isSaneRequestId(incoming) ? incoming : crypto.randomUUID();
      }
      return requestId;
    };
    const result = resultFor(env, requestIdOf);
    return result.ok
      ? result.app.fetch(request, env, context)
      : configurationFailure(requestIdOf());
  },
};
