import { inboundConformance, webhookRequest } from "@replykit/core/conformance";
import { optionsSchema, zapperInbound } from "../src/index.js";
import { RECEIVED_AT, ZAPPER_FIXTURES } from "./inbound-fixtures.js";

const options = (webhookSecret: string | undefined) =>
  optionsSchema.parse({
    instanceId: "inst_abc",
    apiKey: "zapper-key-123",
    ...(webhookSecret === undefined ? {} : { webhookSecret }),
  });

// The suite parses with one argument and compares with the fixtures: a fixed receipt time
// makes the bodies that carry no time (every messages.update) parse to the fixtures' events.
const inbound = {
  verify: zapperInbound.verify,
  parse: (body: unknown) => zapperInbound.parse(body, RECEIVED_AT),
};

const SENDER = "5511999999999@s.whatsapp.net";

/** One event per pick, in each shape a body item takes: three taps, a status, an echo. */
function item(pick: number): Record<string, unknown> {
  const id = `3EB0${pick.toString(16).toUpperCase().padStart(16, "0")}`;
  const upsert = (message: Record<string, unknown>, fromMe = false) => ({
    type: "messages.upsert",
    key: { remoteJid: SENDER, fromMe, id },
    messageTimestamp: 1_717_171_717 + pick,
    message,
  });
  const contextInfo = { stanzaId: "3EB0C0FFEE0000000001" };
  switch (pick % 5) {
    case 0:
      return upsert({
        interactiveResponseMessage: {
          body: { text: `Button ${pick}` },
          nativeFlowResponseMessage: {
            name: "quick_reply",
            paramsJson: JSON.stringify({ id: `b${pick}` }),
          },
          contextInfo,
        },
      });
    case 1:
      return upsert({
        buttonsResponseMessage: {
          selectedButtonId: `b${pick}`,
          selectedDisplayText: "B",
          contextInfo,
        },
      });
    case 2:
      return upsert({
        templateButtonReplyMessage: {
          selectedId: `b${pick}`,
          selectedDisplayText: "B",
          contextInfo,
        },
      });
    case 3:
      return {
        type: "messages.update",
        key: { remoteJid: SENDER, fromMe: true, id },
        update: { status: pick % 6 },
      };
    default:
      return upsert({ conversation: "sent by the session" }, true);
  }
}

// ZapperAPI presents the secret one of two ways; the suite runs once for each, so that each
// request carries exactly one credential.
for (const [name, carry] of [
  ["Bearer secret", (secret: string) => ({ headers: { authorization: `Bearer ${secret}` } })],
  ["URL secret", (secret: string) => ({ pathSecret: secret })],
] as const) {
  inboundConformance(`ZapperAPI (${name})`, () => ({
    inbound,
    options,
    request: (body, secret) => webhookRequest({ body: JSON.stringify(body), ...carry(secret) }),
    signsBody: false,
    credentialHeaders: ["authorization"],
    fixtures: ZAPPER_FIXTURES,
    // A body that is an array of events (tolerated): one event per item, in order.
    bodyWithItems: (picks) => picks.map(item),
  }));
}
