import { type ChannelUnderTest, channelConformance } from "@replykit/core/conformance";
import type { HttpTransport } from "@replykit/http-transport";
import { undiciTransport } from "@replykit/http-transport/undici";
import { startWhatsAppSimulator } from "@replykit/provider-simulator";
import { createWhatsAppChannel } from "../src/index.js";
import { lastAcceptedMessageId } from "./support.js";

interface OwnedTransport {
  readonly transport?: HttpTransport;
  close(): Promise<void>;
}

async function whatsAppUnderTest(owned: OwnedTransport): Promise<ChannelUnderTest> {
  const simulator = await startWhatsAppSimulator();
  const { accessToken, phoneNumberId } = simulator.credentials;
  const channel = createWhatsAppChannel({
    accessToken,
    phoneNumberId,
    baseUrl: simulator.baseUrl,
    ...(owned.transport === undefined ? {} : { transport: owned.transport }),
  });
  return {
    channel,
    recipient: "5511999999999",
    // The phone number id is an identifier, not a credential: Meta quotes it in its own
    // errors ("Object with ID '…' does not exist"), which is useful to keep.
    secrets: [accessToken],
    lastAcceptedMessageId: () => lastAcceptedMessageId(simulator),
    provider: {
      // "parameter value is not valid": documented, final.
      rejectNext: () => simulator.failNext({ errorCode: 131009 }),
      // Meta's throughput limit; the simulator answers it with HTTP 429.
      rateLimitNext: (seconds) =>
        simulator.failNext({
          errorCode: 130429,
          ...(seconds === undefined ? {} : { retryAfterSeconds: seconds }),
        }),
      failNextWithServerError: () => simulator.failNext({ status: 500 }),
      resetNextConnection: () => simulator.failNext({ reset: true }),
      answerNextWithUnexpectedBody: () =>
        simulator.failNext({ status: 200, body: { something: "else" } }),
      delayNext: (milliseconds) => simulator.failNext({ latencyMs: milliseconds }),
      // Meta's own envelope, as a proxy or Graph itself might echo the token it got.
      rejectNextQuoting: (text) =>
        simulator.failNext({
          status: 400,
          body: {
            error: {
              message: `(#100) Invalid parameter: ${text}`,
              type: "OAuthException",
              code: 100,
              fbtrace_id: "x",
            },
          },
        }),
    },
    async close() {
      await owned.close();
      await simulator.close();
    },
  };
}

channelConformance("WhatsApp Cloud API over the default fetch transport", () =>
  whatsAppUnderTest({ close: async () => {} }),
);

channelConformance("WhatsApp Cloud API over the undici transport", () => {
  const transport = undiciTransport();
  return whatsAppUnderTest({ transport, close: () => transport.close() });
});
