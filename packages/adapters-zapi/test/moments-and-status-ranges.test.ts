import { isProviderError, ProviderRejected, ProviderUnavailable } from "@replykit/core";
import { redactor } from "@replykit/http-transport";
import { jsonAnswer as answer } from "@replykit/http-transport/testing";
import { describe, expect, it } from "vitest";
import { parseZapiWebhook, readAnswer } from "../src/index.js";
import { RECEIVED_AT } from "./inbound-fixtures.js";

// When a tap happened, read from each form Z-API gives `momment`, and the status ranges
// readAnswer draws its lines at: a success is exactly 2xx, Z-API's words count on 4xx only.

const MILLIS = 1_634_645_380_000;

/** The time of a tap whose `momment` is the given value. */
function tapTime(momment: unknown): Date | undefined {
  const [event] = parseZapiWebhook(
    {
      type: "ReceivedCallback",
      messageId: "3EB0TAP0000000000001",
      phone: "5544999999999",
      fromMe: false,
      momment,
      buttonsResponseMessage: { buttonId: "1", message: "Ótimo" },
    },
    RECEIVED_AT,
  );
  expect(event?.kind).toBe("button_reply");
  return event?.kind === "button_reply" ? event.at : undefined;
}

describe("Z-API tap times", () => {
  it("reads milliseconds given as a number or as a string of up to 16 digits", () => {
    expect(tapTime(MILLIS)).toEqual(new Date(MILLIS));
    expect(tapTime(String(MILLIS))).toEqual(new Date(MILLIS));
    expect(tapTime("1634645380000000")).toEqual(new Date(1_634_645_380_000_000));
  });

  it("falls back to the time received for a string that is not only digits, or of 17", () => {
    for (const text of [
      ` ${MILLIS}`,
      `${MILLIS} `,
      `+${MILLIS}`,
      "1.6e12",
      "",
      "16346453800000000",
    ]) {
      expect(tapTime(text)).toEqual(RECEIVED_AT);
    }
  });

  it("falls back to the time received for a value that is neither", () => {
    for (const value of [true, [MILLIS], { value: MILLIS }, null]) {
      expect(tapTime(value)).toEqual(RECEIVED_AT);
    }
  });
});

describe("readAnswer's status ranges", () => {
  const read = (status: number, body: unknown) => readAnswer(answer(status, body), redactor([]));

  it("takes no answer outside 2xx for a receipt, even with a message id", () => {
    for (const status of [199, 300]) {
      const outcome = read(status, { messageId: "3EB0X", zaapId: "z" });
      expect(isProviderError(outcome)).toBe(true);
    }
    expect(read(299, { messageId: "3EB0X" })).toEqual({ providerMessageId: "3EB0X" });
  });

  it("reads Z-API's words only on 4xx: a 3xx or a 500 saying not connected is no disconnection", () => {
    const redirect = read(399, { error: "You are not connected." });
    expect(redirect).toBeInstanceOf(ProviderRejected);
    const serverError = read(500, { error: "You are not connected." });
    expect(serverError).toBeInstanceOf(ProviderUnavailable);
    expect(serverError).toMatchObject({ retryable: true });
    expect(read(499, { error: "You are not connected." })).toMatchObject({ retryable: false });
  });
});
