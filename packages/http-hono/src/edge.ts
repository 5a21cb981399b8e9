import type { ExecutionContext } from "hono";
import { createConfiguredApp } from "./composition/configured-app.js";
import { parseServerConfigJson } from "./config/load-config.js";

/** Worker bindings: `REPLYKIT_CONFIG` (the configuration as JSON) and the secrets it names. */
export interface EdgeBindings {
  readonly REPLYKIT_CONFIG?: string;
  readonly [binding: string]: unknown;
}

type ConfiguredApp = ReturnType<typeof createConfiguredApp>;
let built: { readonly source: string; readonly app: ConfiguredApp } | undefined;

function stringBindings(env: EdgeBindings): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

// A Worker isolate serves many requests: the configuration is parsed and the ports are
// wired once, then rebuilt only if the bound configuration changes.
function appFor(env: EdgeBindings): ConfiguredApp {
  const source = env.REPLYKIT_CONFIG;
  if (source === undefined) {
    throw new Error("the REPLYKIT_CONFIG binding is missing: bind the configuration JSON to it");
  }
  if (built?.source !== source) {
    built = {
      source,
      app: createConfiguredApp(parseServerConfigJson(source, stringBindings(env))),
    };
  }
  return built.app;
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
    return appFor(env).fetch(request, env, context);
  },
};
