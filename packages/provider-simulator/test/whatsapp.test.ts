import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_WHATSAPP_CREDENTIALS,
  startWhatsAppSimulator,
  type WhatsAppSimulator,
} from "../src/index.js";
import { at, postJson, readJson } from "./helpers.js";

type Button = { type: "reply"; reply: { id: string; title: string } };

const button = (id: string, title: string): Button => ({ type: "reply", reply: { id, title } });

function message(
  overrides: Record<string, unknown> = {},
  buttons: Button[] = [button("yes", "Yes"), button("no", "No")],
) {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: "5511999999999",
    type: "interactive",
    interactive: {
      type: "button",
      body: { text: "Do you confirm?" },
      action: { buttons },
      ...overrides,
    },
  };
}

describe("WhatsApp Cloud API simulator", () => {
  let sim: WhatsAppSimulator;
  let url: string;
  const auth = { authorization: `Bearer ${DEFAULT_WHATSAPP_CREDENTIALS.accessToken}` };
  const send = (body: unknown, headers: Record<string, string> = auth) =>
    postJson(url, body, headers);

  beforeAll(async () => {
    sim = await startWhatsAppSimulator();
    url = `${sim.baseUrl}/v23.0/${sim.credentials.phoneNumberId}/messages`;
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  async function expectMetaError(body: unknown, status: number, code: number) {
    const response = await send(body);
    expect(response.status).toBe(status);
    expect(at(response.body, "error", "code")).toBe(code);
    return response;
  }

  it("accepts a valid reply-button message and answers with a fresh wamid", async () => {
    const first = await send(message());
    const second = await send(message());

    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      messaging_product: "whatsapp",
      contacts: [{ input: "5511999999999", wa_id: "5511999999999" }],
      messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9_-]+$/) }],
    });
    expect(at(first.body, "messages", 0, "id")).not.toBe(at(second.body, "messages", 0, "id"));
  });

  it("records the request and its answer", async () => {
    const body = message();
    const response = await send(body);

    expect(sim.received).toHaveLength(1);
    const [recorded] = sim.received;
    expect(recorded).toMatchObject({
      method: "POST",
      path: `/v23.0/${DEFAULT_WHATSAPP_CREDENTIALS.phoneNumberId}/messages`,
      body,
      injected: false,
      response: { kind: "response", status: 200, body: response.body },
    });
    expect(recorded?.headers.authorization).toBe(auth.authorization);
    expect(recorded?.headers["content-type"]).toBe("application/json");
  });

  it("accepts header, footer and any vNN.N version", async () => {
    const withExtras = message({
      header: { type: "text", text: "h".repeat(60) },
      footer: { text: "f".repeat(60) },
    });
    expect((await send(withExtras)).status).toBe(200);
    const imageHeader = message({
      header: { type: "image", image: { link: "https://example.com/a.png" } },
    });
    expect((await send(imageHeader)).status).toBe(200);
    const older = await postJson(
      `${sim.baseUrl}/v19.0/${sim.credentials.phoneNumberId}/messages`,
      message(),
      auth,
    );
    expect(older.status).toBe(200);
  });

  it("rejects a 4th button with 131009 in Meta's error envelope", async () => {
    const four = [button("a", "A"), button("b", "B"), button("c", "C"), button("d", "D")];
    const response = await expectMetaError(message({}, four), 400, 131009);

    expect(response.body).toEqual({
      error: {
        message: "(#131009) Parameter value is not valid",
        type: "OAuthException",
        code: 131009,
        error_data: {
          messaging_product: "whatsapp",
          details: expect.stringContaining("Buttons count"),
        },
        fbtrace_id: expect.any(String),
      },
    });
  });

  it("rejects zero buttons with 131009", async () => {
    await expectMetaError(message({}, []), 400, 131009);
  });

  it("rejects a title over 20 UTF-16 code units with 131009 and accepts exactly 20", async () => {
    expect((await send(message({}, [button("a", "x".repeat(20))]))).status).toBe(200);
    await expectMetaError(message({}, [button("a", "x".repeat(21))]), 400, 131009);
    // Ten emoji are 20 code units, eleven are 22.
    expect((await send(message({}, [button("a", "😀".repeat(10))]))).status).toBe(200);
    await expectMetaError(message({}, [button("a", "😀".repeat(11))]), 400, 131009);
  });

  it("rejects a button id over 256 characters with 131009", async () => {
    expect((await send(message({}, [button("i".repeat(256), "A")]))).status).toBe(200);
    await expectMetaError(message({}, [button("i".repeat(257), "A")]), 400, 131009);
  });

  it("rejects body over 1024, header over 60 and footer over 60 with 131009", async () => {
    await expectMetaError(message({ body: { text: "b".repeat(1025) } }), 400, 131009);
    await expectMetaError(message({ header: { type: "text", text: "h".repeat(61) } }), 400, 131009);
    await expectMetaError(message({ footer: { text: "f".repeat(61) } }), 400, 131009);
  });

  it("rejects duplicate ids and duplicate titles with 131009", async () => {
    await expectMetaError(message({}, [button("same", "A"), button("same", "B")]), 400, 131009);
    await expectMetaError(message({}, [button("a", "Same"), button("b", "Same")]), 400, 131009);
  });

  it("rejects an empty title and an id with leading or trailing whitespace with 131009", async () => {
    await expectMetaError(message({}, [button("a", "")]), 400, 131009);
    await expectMetaError(message({}, [button("a", "   ")]), 400, 131009);
    await expectMetaError(message({}, [button(" a", "A")]), 400, 131009);
    await expectMetaError(message({}, [button("a\t", "A")]), 400, 131009);
  });

  it("answers a missing required parameter with 131008 naming it", async () => {
    const response = await expectMetaError(message({ body: {} }), 400, 131008);
    expect(at(response.body, "error", "error_data", "details")).toBe(
      "The parameter interactive['body']['text'] is required.",
    );
    const { to: _to, ...withoutTo } = message();
    await expectMetaError(withoutTo, 400, 131008);
    const { messaging_product: _product, ...withoutProduct } = message();
    await expectMetaError(withoutProduct, 400, 131008);
  });

  it("rejects a wrong or missing access token with 401 and code 190", async () => {
    const wrong = await send(message(), { authorization: "Bearer nope" });
    expect(wrong.status).toBe(401);
    expect(at(wrong.body, "error", "code")).toBe(190);
    expect(at(wrong.body, "error", "type")).toBe("OAuthException");
    const missing = await send(message(), {});
    expect(missing.status).toBe(401);
    expect(at(missing.body, "error", "code")).toBe(190);
  });

  it("rejects an unknown phone number id with 400 and code 100", async () => {
    const response = await postJson(`${sim.baseUrl}/v23.0/999/messages`, message(), auth);
    expect(response.status).toBe(400);
    expect(at(response.body, "error", "code")).toBe(100);
    expect(at(response.body, "error", "error_subcode")).toBe(33);
  });

  it("rejects a GET on the messages edge with code 100", async () => {
    const response = await readJson(await fetch(url, { headers: auth }));
    expect(response.status).toBe(400);
    expect(at(response.body, "error", "code")).toBe(100);
  });

  it("rejects another version when apiVersion is configured", async () => {
    const strict = await startWhatsAppSimulator({ apiVersion: "v23.0" });
    try {
      const path = `/${strict.credentials.phoneNumberId}/messages`;
      expect((await postJson(`${strict.baseUrl}/v23.0${path}`, message(), auth)).status).toBe(200);
      expect((await postJson(`${strict.baseUrl}/v22.0${path}`, message(), auth)).status).toBe(400);
    } finally {
      await strict.close();
    }
  });

  it("accepts the credentials it is given instead of the defaults", async () => {
    const custom = await startWhatsAppSimulator({ accessToken: "t2", phoneNumberId: "42" });
    try {
      expect(custom.credentials).toEqual({ accessToken: "t2", phoneNumberId: "42" });
      const ok = await postJson(`${custom.baseUrl}/v23.0/42/messages`, message(), {
        authorization: "Bearer t2",
      });
      expect(ok.status).toBe(200);
    } finally {
      await custom.close();
    }
  });
});
