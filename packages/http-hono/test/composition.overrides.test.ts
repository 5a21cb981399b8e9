import { AuthenticatorToken, MessageLogToken } from "@replykit/core";
import { InMemoryAuthenticator } from "@replykit/core/testing";
import { describe, expect, it } from "vitest";
import { createConfiguredApp } from "../src/composition/configured-app.js";
import { createDriverContainer } from "../src/composition/drivers.js";
import { serverConfigSchema } from "../src/config/schema.js";
import { minimalConfig } from "./support.js";

const config = serverConfigSchema.parse({
  ...minimalConfig(),
  channelConnections: minimalConfig().channelConnections.map((connection) => ({
    ...connection,
    accessToken: "wa-token",
  })),
});

const sendWith = (app: ReturnType<typeof createConfiguredApp>, token: string) =>
  app.request("/messages/interactive/send-buttons", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: "{}",
  });

describe("the composition root and an embedder's own registrations", () => {
  it("uses a port the embedder registered in its container instead of the configuration's", async () => {
    const container = createDriverContainer();
    container.register(AuthenticatorToken, {
      useValue: new InMemoryAuthenticator({
        "embedder-token": { subject: "s", organizationId: "acme", kind: "session" },
      }),
    });
    const withOwn = createConfiguredApp(config, { container });
    // Past authentication, an empty body is a 400: the embedder's authenticator knew the token.
    expect((await sendWith(withOwn, "embedder-token")).status).toBe(400);
    expect((await sendWith(createConfiguredApp(config), "embedder-token")).status).toBe(401);
  });

  it("registers its defaults in a child, leaving the embedder's container as it was", () => {
    const container = createDriverContainer();
    createConfiguredApp(config, { container });
    expect(container.isRegistered(MessageLogToken, true)).toBe(false);
  });
});
