import { buttonMessage, failureOf, sendContext } from "@replykit/http-transport/testing";
import { describe, expect, it } from "vitest";
import { createWhatsAppChannel } from "../src/index.js";
import { buttons } from "./support.js";

const TOKEN = "EAAG-echoed-access-token-0123456789";

describe("the Cloud API channel's errors", () => {
  it("blank out the access token when Meta's text echoes it", async () => {
    const channel = createWhatsAppChannel({
      accessToken: TOKEN,
      phoneNumberId: "106540352242922",
      transport: async () => ({
        status: 400,
        header: () => undefined,
        body: JSON.stringify({ error: { code: 100, message: `Invalid parameter ${TOKEN}` } }),
      }),
    });
    const error = await failureOf(
      channel.send(
        "5511999999999",
        buttonMessage({ body: "Pick", buttons: buttons(2) }),
        sendContext(),
      ),
    );
    expect(String((error as Error).message)).toContain("Invalid parameter");
    expect(JSON.stringify(error) + String(error)).not.toContain(TOKEN);
  });
});
