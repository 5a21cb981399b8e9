import type { Hono } from "hono";
import { OPENAPI_DOCUMENT } from "../generated/openapi-document.js";
import type { AppEnv } from "./app-env.js";

export const OPENAPI_PATH = "/openapi.json";

/** The `info` and `servers` of `GET /openapi.json`: what differs between deployments. */
export interface OpenApiInfo {
  readonly title?: string;
  readonly version?: string;
  readonly description?: string;
  /** Base URLs shown in the document, e.g. `[{ url: "https://api.example.com" }]`. */
  readonly servers?: readonly { readonly url: string; readonly description?: string }[];
}

/**
 * The OpenAPI 3.1 document this app serves: the one generated at build time from the
 * schemas (src/generated/openapi-document.ts), with the deployment's `info` and `servers`.
 */
export function openApiDocument(info: OpenApiInfo | undefined) {
  return {
    openapi: OPENAPI_DOCUMENT.openapi,
    info: {
      title: info?.title ?? "replykit",
      version: info?.version ?? "0.1.0",
      description:
        info?.description ??
        "Send WhatsApp interactive reply-button messages through WhatsApp Cloud API, Z-API or ZapperAPI.",
    },
    ...(info?.servers === undefined
      ? {}
      : { servers: info.servers.map((server) => ({ ...server })) }),
    components: OPENAPI_DOCUMENT.components,
    paths: OPENAPI_DOCUMENT.paths,
    webhooks: OPENAPI_DOCUMENT.webhooks,
  };
}

/** `GET /openapi.json`, the document made once per app. */
export function mountOpenApi(app: Hono<AppEnv>, info: OpenApiInfo | undefined): void {
  const document = openApiDocument(info);
  app.get(OPENAPI_PATH, (c) => c.json(document, 200));
}
