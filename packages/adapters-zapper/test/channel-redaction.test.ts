import { buttonMessage, failureOf, sendContext } from "@replykit/http-transport/testing";
import { describe, expect, it } from "vitest";
import { createZapperChannel } from "../src/index.js";

const API_KEY = "zapper-echoed-api-key-0123456789";
const INSTANCE_ID = "inst_echoed_0123456789";

describe("the ZapperAPI channel's errors", () => {
  it("blank out the API key and the instance id when ZapperAPI's text echoes them", async () => {
    const channel = createZapperChannel({
      apiKey: API_KEY,
      instanceId: INSTANCE_ID,
      transport: async () => ({
        status: 404,
        header: () => undefined,
        body: JSON.stringify({ message: `Route POST:/${INSTANCE_ID}/x?key=${API_KEY} not found` }),
      }),
    });
    const error = await failureOf(
      channel.send(
        "5511999999999",
        buttonMessage({
          body: "Pick",
          buttons: [
            { id: "a", title: "A" },
            { id: "b", title: "B" },
          ],
        }),
        sendContext(),
      ),
    );
    const rendered = `${(error as Error).message}${String(error)}${JSON.stringify(error)}`;
    expect(rendered).toContain("not found");
    expect(rendered).not.toContain(API_KEY);
    expect(rendered).not.toContain(INSTANCE_ID);
  });
});
