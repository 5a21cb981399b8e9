import { describe, expect, it } from "vitest";
import { parseZapiWebhook } from "../src/index.js";
import { RECEIVED_AT } from "./inbound-fixtures.js";

// A parsed event leaves out what Z-API did not give, rather than carrying it as `undefined`.

describe("parseZapiWebhook leaves absent fields out", () => {
  it("of an echoed message without a messageId: no providerEventId", () => {
    const [event] = parseZapiWebhook({ type: "ReceivedCallback", fromMe: true }, RECEIVED_AT);
    expect(event).toEqual({ kind: "ignored", reason: "own message echoed" });
    expect(event).not.toHaveProperty("providerEventId");
  });

  it("of a send callback without a phone: no recipient", () => {
    const [event] = parseZapiWebhook(
      { type: "DeliveryCallback", messageId: "3EB0SENT", momment: 1_632_234_645_000 },
      RECEIVED_AT,
    );
    expect(event).toMatchObject({ kind: "delivery_status", status: "accepted" });
    expect(event).not.toHaveProperty("recipient");
    expect(event).not.toHaveProperty("error");
  });
});
