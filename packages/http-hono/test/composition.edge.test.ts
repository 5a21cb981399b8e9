import {
  AgentDirectoryToken,
  ChannelDirectoryToken,
  ChannelDriverToken,
  InMemoryIdempotencyStore,
  InMemoryMessageLog,
  InMemoryWebhookDeduplication,
  LoggerToken,
  MessageLogToken,
  systemClock,
} from "@replykit/core";
import { describe, expect, it } from "vitest";
import { BUILT_IN_DRIVERS } from "../src/composition/built-in-drivers.js";
import { databaseDirectoryPorts } from "../src/composition/database-directory-ports.js";
import {
  defaultPorts,
  resolverOf,
  WebhookConnectionsToken,
} from "../src/composition/default-ports.js";
import {
  ConfigError,
  createConfiguredApp,
  createEdgeApp,
  type ServerConfig,
} from "../src/composition/index.js";
import type { SharedDirectories, SharedStores } from "../src/composition/shared-stores.js";
import { parseServerConfig } from "../src/config/load-config.js";
import { minimalConfig } from "./support.js";

const config = parseServerConfig(minimalConfig(), { WA_TOKEN: "wa-token" });

const refusalOf = (build: () => unknown): string => {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
};

const send = (app: ReturnType<typeof createEdgeApp>, token: string, body: unknown) =>
  app.request("/messages/interactive/send-buttons", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("the composition without a container (createEdgeApp, the Workers entry's)", () => {
  it("refuses what createConfiguredApp refuses, with the same ConfigError", () => {
    const broken: ServerConfig = {
      ...config,
      channelConnections: [
        {
          id: "zapper-1",
          organizationId: "acme",
          provider: "zapper",
          instanceId: "instance-SECRET-1",
          apiKey: "key with SECRET-2 inside",
        },
      ],
      sessions: { jwtSecret: "SECRET-short" },
    };
    const edge = refusalOf(() => createEdgeApp(broken));
    expect(edge).toBe(refusalOf(() => createConfiguredApp(broken)));
    expect(edge).not.toMatch(/SECRET/);
  });

  it("answers as the container's composition does", async () => {
    const body = { agentId: "agent-1", conversationId: "c1", body_text: "Hi" };
    for (const token of ["wrong-token", ""]) {
      const [edge, configured] = await Promise.all([
        send(createEdgeApp(config), token, body),
        send(createConfiguredApp(config), token, body),
      ]);
      expect(edge.status).toBe(configured.status);
      const { requestId: _edgeId, ...edgeError } = ((await edge.json()) as { error: object })
        .error as {
        requestId: string;
      };
      const { requestId: _configuredId, ...configuredError } = (
        (await configured.json()) as { error: object }
      ).error as { requestId: string };
      expect(edgeError).toEqual(configuredError);
    }
    const openapi = await createEdgeApp(config).request("/openapi.json");
    expect(openapi.status).toBe(200);
  });

  it("makes each port once, the two sides of stored connections one lookup", () => {
    const directories: SharedDirectories = {
      findAgent: async () => undefined,
      findConversation: async () => undefined,
      authenticate: async () => undefined,
      findChannelConnection: async () => undefined,
    };
    const stores: SharedStores = {
      idempotency: new InMemoryIdempotencyStore({ clock: systemClock }),
      messageLog: new InMemoryMessageLog(),
      webhookDeduplication: new InMemoryWebhookDeduplication({ clock: systemClock }),
      directories,
    };
    const runtime = { stores };
    const drivers = () => BUILT_IN_DRIVERS;
    const resolve = resolverOf(
      defaultPorts(config, runtime, databaseDirectoryPorts(config, runtime, directories, drivers)),
    );
    expect(resolve(ChannelDirectoryToken)).toBe(resolve(WebhookConnectionsToken));
    expect(resolve(AgentDirectoryToken)).toBe(directories);
    expect(resolve(LoggerToken)).toBe(resolve(LoggerToken));
    expect(resolve(MessageLogToken)).toBe(stores.messageLog);
    expect(() => resolve(ChannelDriverToken)).toThrow(/no port is made/);
  });
});
