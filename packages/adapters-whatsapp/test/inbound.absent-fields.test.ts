import { describe, expect, it } from "vitest";
import { parseWhatsAppWebhook } from "../src/index.js";
import { envelope, SENT_WAMID } from "./fixtures/inbound.js";

// A parsed event leaves out what Meta did not give, rather than carrying it as `undefined`
// (the events' optional fields are absent or set, never `undefined`).

describe("parseWhatsAppWebhook leaves absent fields out", () => {
  it("of an ignored event tied to no message: no providerEventId", () => {
    const [event] = parseWhatsAppWebhook(envelope(null));
    expect(event).toEqual({ kind: "ignored", reason: "messages change without a value object" });
    expect(event).not.toHaveProperty("providerEventId");
  });

  it("of a template button tap without a text: no buttonTitle", () => {
    const [event] = parseWhatsAppWebhook(
      envelope({
        messages: [
          {
            from: "16505551234",
            id: "wamid.tap",
            timestamp: "1714510003",
            type: "button",
            button: { payload: "yes" },
          },
        ],
      }),
    );
    expect(event).toMatchObject({ kind: "button_reply", buttonId: "yes" });
    expect(event).not.toHaveProperty("buttonTitle");
    expect(event).not.toHaveProperty("replyToProviderMessageId");
  });

  it("of a status without a recipient: no recipient", () => {
    const [event] = parseWhatsAppWebhook(
      envelope({ statuses: [{ id: SENT_WAMID, status: "delivered", timestamp: "1714510010" }] }),
    );
    expect(event).toMatchObject({ kind: "delivery_status", status: "delivered" });
    expect(event).not.toHaveProperty("recipient");
  });
});
