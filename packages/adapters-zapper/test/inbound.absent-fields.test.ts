import { describe, expect, it } from "vitest";
import { parseZapperWebhook } from "../src/index.js";
import { RECEIVED_AT } from "./inbound-fixtures.js";

// A parsed event leaves out what ZapperAPI did not give, rather than carrying it as
// `undefined`.

describe("parseZapperWebhook leaves absent fields out", () => {
  it("of an echoed message without key.id: no providerEventId", () => {
    const [event] = parseZapperWebhook(
      { type: "messages.upsert", key: { fromMe: true }, message: {} },
      RECEIVED_AT,
    );
    expect(event).toEqual({ kind: "ignored", reason: "own message echoed" });
    expect(event).not.toHaveProperty("providerEventId");
  });

  it("of a tap that quotes no message: no replyToProviderMessageId", () => {
    const [event] = parseZapperWebhook(
      {
        type: "messages.upsert",
        key: { remoteJid: "5511999999999@s.whatsapp.net", fromMe: false, id: "3EB0TAP" },
        messageTimestamp: 1_717_171_717,
        message: {
          buttonsResponseMessage: { selectedButtonId: "yes", selectedDisplayText: "Yes" },
        },
      },
      RECEIVED_AT,
    );
    expect(event).toMatchObject({ kind: "button_reply", buttonId: "yes" });
    expect(event).not.toHaveProperty("replyToProviderMessageId");
  });
});
