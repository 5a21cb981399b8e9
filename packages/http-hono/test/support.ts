import { createJsonLogger } from "@replykit/http-app";
import { startProviderSimulator } from "@replykit/provider-simulator";
import { createConfiguredApp } from "../src/composition/configured-app.js";
import type { ServerConfig } from "../src/config/schema.js";
import { demoConfig } from "../src/demo/demo-config.js";
import { nodeRequestAccess } from "../src/node/native-request.js";
import { listen } from "../src/node/server.js";

/** The smallest configuration that starts: one organization, key, agent, WhatsApp connection and conversation. */
export const minimalConfig = () => ({
  organizations: [{ id: "acme" }],
  apiKeys: [{ id: "k1", organizationId: "acme", sha256: "a".repeat(64) }],
  agents: [{ id: "agent-1", organizationId: "acme" }],
  channelConnections: [
    {
      id: "wa",
      organizationId: "acme",
      provider: "whatsapp",
      phoneNumberId: "1000",
      accessToken: "env:WA_TOKEN",
    },
  ],
  conversations: [
    { id: "c1", organizationId: "acme", channelConnectionId: "wa", recipient: "5511999990000" },
  ],
});

export type Simulators = Awaited<ReturnType<typeof startProviderSimulator>>;

/** The composed server over real HTTP, its channels pointing at the provider simulator. */
export async function startComposedServer(
  adjust: (config: ServerConfig) => ServerConfig = (config) => config,
) {
  const simulators = await startProviderSimulator();
  const logLines: string[] = [];
  const config = adjust(await demoConfig(simulators));
  const app = createConfiguredApp(config, {
    logger: createJsonLogger({ write: (line) => logLines.push(line), level: "debug" }),
    // As startStandalone: the body and the caller's presence read from Node's own request.
    native: nodeRequestAccess,
  });
  const server = await listen(app, { port: 0, hostname: "127.0.0.1" });
  return {
    simulators,
    logLines,
    url: server.url,
    async close() {
      await server.close();
      await simulators.close();
    },
  };
}
