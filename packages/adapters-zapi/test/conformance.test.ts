import { channelConformance } from "@replykit/core/conformance";
import type { HttpTransport } from "@replykit/http-transport";
import { undiciTransport } from "@replykit/http-transport/undici";
import { startZapiSimulator } from "@replykit/provider-simulator";
import { createZapiChannel, type ZapiEndpoint } from "../src/index.js";
import { lastAcceptedMessageId, simulatorOptions, zapiControl } from "./support.js";

// The shared ChannelPort suite, against the Z-API simulator over real HTTP.
function zapiConformance(
  name: string,
  endpoint: ZapiEndpoint,
  makeTransport?: () => HttpTransport & { close?: () => Promise<void> },
): void {
  channelConformance(name, async () => {
    const simulator = await startZapiSimulator();
    const transport = makeTransport?.();
    const channel = createZapiChannel({
      ...simulatorOptions(simulator),
      endpoint,
      ...(transport === undefined ? {} : { transport }),
    });
    return {
      channel,
      recipient: "+55 (11) 99999-9999",
      secrets: [
        simulator.credentials.token,
        simulator.credentials.clientToken,
        simulator.credentials.instanceId,
      ],
      provider: zapiControl(simulator),
      lastAcceptedMessageId: () => lastAcceptedMessageId(simulator),
      close: async () => {
        await transport?.close?.();
        await simulator.close();
      },
    };
  });
}

zapiConformance("Z-API send-button-actions over fetch", "button-actions");
zapiConformance("Z-API send-button-actions over undici", "button-actions", () => undiciTransport());
// The other endpoint passes the same suite; its capabilities drop header and footer.
zapiConformance("Z-API send-button-list over fetch", "button-list");
