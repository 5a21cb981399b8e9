import { readFile } from "node:fs/promises";
import { join } from "node:path";
import {
  InMemoryAgentDirectory,
  InMemoryAuthenticator,
  InMemoryChannelDirectory,
  InMemoryConversationDirectory,
  ManualClock,
  RecordingLogger,
} from "@replykit/core/testing";
import { describe, expect, it } from "vitest";
import { openApiDocument, openApiDocumentModule } from "../scripts/openapi-document.js";
import { OPENAPI_DOCUMENT } from "../src/generated/openapi-document.js";
import { createApp, type OpenApiInfo } from "../src/index.js";

const appWith = (openapi?: OpenApiInfo) =>
  createApp({
    authenticator: new InMemoryAuthenticator({}),
    agents: new InMemoryAgentDirectory([]),
    conversations: new InMemoryConversationDirectory([]),
    channels: new InMemoryChannelDirectory({}),
    clock: new ManualClock(),
    logger: new RecordingLogger(),
    ...(openapi === undefined ? {} : { openapi }),
  });

const generated = join(import.meta.dirname, "../src/generated/openapi-document.ts");
const REGENERATE = "pnpm -C packages/http-app generate:openapi";

describe("the OpenAPI document generated at build time", () => {
  it("is up to date with the schemas and their words", async () => {
    const committed = await readFile(generated, "utf8");
    expect(
      committed === openApiDocumentModule(),
      `src/generated/openapi-document.ts is stale: regenerate it with \`${REGENERATE}\` and commit it`,
    ).toBe(true);
  });

  it("is what GET /openapi.json serves, with the app's info and servers", async () => {
    const served = (await (await appWith().request("/openapi.json")).json()) as Record<
      string,
      unknown
    >;
    const { info, ...rest } = served;
    expect(rest).toEqual(openApiDocument());
    expect(rest).toEqual(OPENAPI_DOCUMENT);
    expect(info).toEqual({
      title: "replykit",
      version: "0.1.0",
      description:
        "Send WhatsApp interactive reply-button messages through WhatsApp Cloud API, Z-API or ZapperAPI.",
    });
  });

  it("takes info and servers from the openapi option", async () => {
    const app = appWith({
      title: "acme",
      version: "2.0.0",
      servers: [{ url: "https://api.example.com", description: "production" }],
    });
    const served = (await (await app.request("/openapi.json")).json()) as Record<string, unknown>;
    expect(Object.keys(served)).toEqual([
      "openapi",
      "info",
      "servers",
      "components",
      "paths",
      "webhooks",
    ]);
    expect(served.info).toMatchObject({ title: "acme", version: "2.0.0" });
    expect(served.servers).toEqual([{ url: "https://api.example.com", description: "production" }]);
  });
});
