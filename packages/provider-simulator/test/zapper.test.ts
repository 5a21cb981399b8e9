import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_ZAPPER_CREDENTIALS,
  startZapperSimulator,
  type ZapperSimulator,
} from "../src/index.js";
import { at, postJson, readJson } from "./helpers.js";

const buttons = (count = 2) =>
  Array.from({ length: count }, (_, index) => ({
    type: "reply",
    displayText: `Option ${index + 1}`,
    id: `opt-${index + 1}`,
  }));

const message = (overrides: Record<string, unknown> = {}) => ({
  jid: "5511999999999",
  title: "Title",
  body: "Do you confirm?",
  footer: "Footer",
  buttons: buttons(),
  ...overrides,
});

describe("ZapperAPI simulator", () => {
  let sim: ZapperSimulator;
  let url: string;
  const apiKey = { "x-api-key": DEFAULT_ZAPPER_CREDENTIALS.apiKey };
  const send = (body: unknown, headers: Record<string, string> = apiKey) =>
    postJson(url, body, headers);

  beforeAll(async () => {
    sim = await startZapperSimulator();
    url = `${sim.baseUrl}/${sim.credentials.instanceId}/messages/buttons`;
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  async function expectValidationError(body: unknown, message: string) {
    const response = await send(body);
    expect(response).toMatchObject({
      status: 400,
      body: { statusCode: 400, code: "FST_ERR_VALIDATION", error: "Bad Request", message },
    });
  }

  it("sends reply buttons and answers a message whose key.id is fresh", async () => {
    const first = await send(message());
    const second = await send(message());

    expect(first.status).toBe(200);
    expect(at(first.body, "key")).toEqual({
      remoteJid: "5511999999999@s.whatsapp.net",
      fromMe: true,
      id: expect.stringMatching(/^3EB0[0-9A-F]+$/),
    });
    expect(at(first.body, "key", "id")).not.toBe(at(second.body, "key", "id"));
    expect(sim.received[0]).toMatchObject({
      method: "POST",
      path: `/${DEFAULT_ZAPPER_CREDENTIALS.instanceId}/messages/buttons`,
      headers: apiKey,
      body: message(),
      response: { kind: "response", status: 200 },
    });
  });

  it("accepts the X-Api-Key header in any letter case and a message without body", async () => {
    const { body: _body, ...withoutBody } = message();
    const response = await send(withoutBody, { "X-Api-Key": DEFAULT_ZAPPER_CREDENTIALS.apiKey });
    expect(response.status).toBe(200);
  });

  it("rejects a missing or wrong API key with 401", async () => {
    expect(await send(message(), {})).toMatchObject({
      status: 401,
      body: { statusCode: 401, error: "Unauthorized" },
    });
    expect((await send(message(), { "x-api-key": "nope" })).status).toBe(401);
  });

  it("answers 404 to an unknown instance", async () => {
    const response = await postJson(
      `${sim.baseUrl}/inst_other/messages/buttons`,
      message(),
      apiKey,
    );
    expect(response).toMatchObject({ status: 404, body: { message: "Instance not found" } });
  });

  it("reports a missing jid or button field the way Fastify does", async () => {
    const { jid: _jid, ...withoutJid } = message();
    await expectValidationError(withoutJid, "body must have required property 'jid'");
    await expectValidationError(
      message({ buttons: [{ type: "reply", displayText: "Yes" }] }),
      "body/buttons/0 must have required property 'id'",
    );
  });

  it("rejects an unknown button type, an empty jid and more than 3 buttons", async () => {
    await expectValidationError(
      message({ buttons: [{ type: "list", displayText: "Yes", id: "y" }] }),
      "body/buttons/0/type must be equal to one of the allowed values",
    );
    await expectValidationError(
      message({ jid: "" }),
      "body/jid must NOT have fewer than 1 characters",
    );
    await expectValidationError(
      message({ buttons: buttons(4) }),
      "body/buttons must NOT have more than 3 items",
    );
  });

  it("answers 415 to a media type Fastify cannot parse", async () => {
    const response = await readJson(
      await fetch(url, {
        method: "POST",
        headers: { ...apiKey, "content-type": "application/xml" },
        body: "<buttons/>",
      }),
    );
    expect(response).toMatchObject({
      status: 415,
      body: { code: "FST_ERR_CTP_INVALID_MEDIA_TYPE" },
    });
  });

  it("answers a GET on the buttons route with Fastify's route-not-found 404", async () => {
    const response = await readJson(await fetch(url, { headers: apiKey }));
    expect(response).toMatchObject({
      status: 404,
      body: {
        message: `Route GET:/${DEFAULT_ZAPPER_CREDENTIALS.instanceId}/messages/buttons not found`,
      },
    });
  });

  it("uses a custom success body when one is configured", async () => {
    const custom = await startZapperSimulator({
      successBody: (sent) => ({ messageId: sent.messageId, jid: sent.remoteJid }),
    });
    try {
      const response = await postJson(
        `${custom.baseUrl}/${custom.credentials.instanceId}/messages/buttons`,
        message(),
        {
          "x-api-key": custom.credentials.apiKey,
        },
      );
      expect(response.body).toEqual({
        messageId: expect.stringMatching(/^3EB0/),
        jid: "5511999999999@s.whatsapp.net",
      });
    } finally {
      await custom.close();
    }
  });
});
