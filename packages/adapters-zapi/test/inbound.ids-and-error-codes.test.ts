import { describe, expect, it } from "vitest";
import { parseZapiWebhook } from "../src/index.js";
import { RECEIVED_AT } from "./inbound-fixtures.js";

// A status callback that names its message by `id` (the docs' table) rather than `ids` (every
// example), and which of Z-API's `errorCode`s a failed send keeps.

describe("Z-API status callbacks", () => {
  it("read the message of a status given by id instead of ids", () => {
    expect(
      parseZapiWebhook(
        {
          type: "MessageStatusCallback",
          status: "READ",
          id: "3EB0SENT",
          momment: 1_632_234_645_000,
        },
        RECEIVED_AT,
      ),
    ).toEqual([
      {
        kind: "delivery_status",
        providerEventId: "3EB0SENT:read",
        providerMessageId: "3EB0SENT",
        status: "read",
        at: new Date(1_632_234_645_000),
      },
    ]);
  });
});

describe("Z-API send callbacks with an error", () => {
  const codeOf = (errorCode: unknown) => {
    const [event] = parseZapiWebhook(
      { type: "DeliveryCallback", messageId: "3EB0SENT", error: "Could not send", errorCode },
      RECEIVED_AT,
    );
    return event?.kind === "delivery_status" ? event.error?.code : undefined;
  };

  it("keep an errorCode that is a short identifier", () => {
    expect(codeOf("SHADOW_BAN")).toBe("SHADOW_BAN");
  });

  it("replace an errorCode that is prose, or not only an identifier, with send_failed", () => {
    for (const errorCode of ["not a code", "bad/SHADOW_BAN", "SHADOW_BAN!", "x".repeat(65), 42]) {
      expect(codeOf(errorCode)).toBe("send_failed");
    }
  });
});
