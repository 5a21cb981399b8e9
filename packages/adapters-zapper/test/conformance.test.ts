import { channelConformance } from "@replykit/core/conformance";
import { undiciTransport } from "@replykit/http-transport/undici";
import { simulatedZapper } from "./simulated-channel.js";

channelConformance("ZapperAPI over fetch", () => simulatedZapper());

channelConformance("ZapperAPI over undici", () => {
  const transport = undiciTransport();
  return simulatedZapper(transport, () => transport.close());
});
