import { createWhatsAppChannel } from "@replykit/adapters-whatsapp";
import { createZapiChannel } from "@replykit/adapters-zapi";
import { createZapperChannel } from "@replykit/adapters-zapper";
import { describe, expect, it } from "vitest";
import { channelConnectionSchema } from "../src/config/schema.js";

describe("every adapter refuses a dot segment in its URL-path options", () => {
  it.each([
    [
      "whatsapp phoneNumberId",
      () => createWhatsAppChannel({ accessToken: "t", phoneNumberId: ".." }),
    ],
    [
      "zapi instanceId",
      () => createZapiChannel({ instanceId: "..", instanceToken: "t", clientToken: "c" }),
    ],
    [
      "zapi instanceToken",
      () => createZapiChannel({ instanceId: "i", instanceToken: ".", clientToken: "c" }),
    ],
    ["zapper instanceId", () => createZapperChannel({ instanceId: "..", apiKey: "k" })],
  ])("%s", (_name, create) => {
    expect(create).toThrow(/must not be "\." or "\.\."/);
  });
});

describe("the configuration refuses a dot segment in a connection's URL-path ids", () => {
  it.each([
    { provider: "whatsapp", phoneNumberId: "..", accessToken: "t" },
    { provider: "zapi", instanceId: "..", instanceToken: "t", clientToken: "c" },
    { provider: "zapi", instanceId: "i", instanceToken: ".", clientToken: "c" },
    { provider: "zapper", instanceId: ".", apiKey: "k" },
  ])("$provider", (connection) => {
    const parsed = channelConnectionSchema.safeParse({
      id: "c1",
      organizationId: "acme",
      ...connection,
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.message).join()).toMatch(
      /must not be "\." or "\.\."/,
    );
  });
});
