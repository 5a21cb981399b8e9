import { describe, expect, it } from "vitest";
import { parseZapperWebhook } from "../src/index.js";
import { RECEIVED_AT } from "./inbound-fixtures.js";

// The time of a status update (the update's own timestamp first) and how deep the parser
// looks into Baileys' message wrappers.

const SECONDS = 1_717_171_717;

describe("ZapperAPI status update times", () => {
  const update = (own: number | undefined, payload: number | undefined) => {
    const [event] = parseZapperWebhook(
      {
        type: "messages.update",
        key: { remoteJid: "5511999999999@s.whatsapp.net", fromMe: true, id: "3EB0SENT" },
        update: { status: 3, ...(own === undefined ? {} : { messageTimestamp: own }) },
        ...(payload === undefined ? {} : { messageTimestamp: payload }),
      },
      RECEIVED_AT,
    );
    expect(event?.kind).toBe("delivery_status");
    return event?.kind === "delivery_status" ? event.at : undefined;
  };

  it("takes the update's own timestamp over the payload's", () => {
    expect(update(SECONDS + 5, SECONDS)).toEqual(new Date((SECONDS + 5) * 1000));
  });

  it("takes the payload's timestamp when the update has none, else the time received", () => {
    expect(update(undefined, SECONDS)).toEqual(new Date(SECONDS * 1000));
    expect(update(undefined, undefined)).toEqual(RECEIVED_AT);
  });
});

describe("ZapperAPI message wrappers", () => {
  const tapIn = (wrappers: number) => {
    let message: Record<string, unknown> = {
      buttonsResponseMessage: { selectedButtonId: "yes", selectedDisplayText: "Yes" },
    };
    for (let level = 0; level < wrappers; level += 1) message = { ephemeralMessage: { message } };
    return parseZapperWebhook(
      {
        type: "messages.upsert",
        key: { remoteJid: "5511999999999@s.whatsapp.net", fromMe: false, id: "3EB0TAP" },
        messageTimestamp: SECONDS,
        message,
      },
      RECEIVED_AT,
    )[0];
  };

  it("reads a tap inside up to four wrappers", () => {
    expect(tapIn(4)).toMatchObject({ kind: "button_reply", buttonId: "yes" });
  });

  it("looks no deeper than four wrappers: a fifth is not read as a tap", () => {
    expect(tapIn(5)).toMatchObject({ kind: "ignored", providerEventId: "3EB0TAP" });
  });
});
