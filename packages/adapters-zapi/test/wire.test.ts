import { ProviderRejected } from "@replykit/core";
import { type HttpRequest, type HttpTransport, phoneDigits } from "@replykit/http-transport";
import { sendContext as context, buttonMessage as message } from "@replykit/http-transport/testing";
import { startZapiSimulator, type ZapiSimulator } from "@replykit/provider-simulator";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createZapiChannel, toRecipient, toRequestBody } from "../src/index.js";
import { simulatorOptions } from "./support.js";

const withEverything = message({
  header: "Olá 👋",
  body: "Café, naïve, 𝒜stral, e\u0301 — 你好",
  footer: "replykit ✓",
  buttons: [
    { id: "yes-✓", title: "Sim 👍" },
    { id: "no", title: "Não" },
    { id: "later", title: "🕐 Mais tarde" },
  ],
});

describe("the request sent to Z-API's simulator", () => {
  let simulator: ZapiSimulator;
  beforeAll(async () => {
    simulator = await startZapiSimulator();
  });
  afterAll(() => simulator.close());
  beforeEach(() => simulator.reset());

  const only = () => {
    expect(simulator.received).toHaveLength(1);
    const [request] = simulator.received;
    if (request === undefined) throw new Error("no request recorded");
    return request;
  };

  it("POSTs send-button-actions on the instance path with Client-Token and JSON", async () => {
    const channel = createZapiChannel(simulatorOptions(simulator));
    await channel.send("5511999999999", withEverything, context());
    const request = only();
    const { instanceId, token, clientToken } = simulator.credentials;
    expect(request.method).toBe("POST");
    expect(request.path).toBe(`/instances/${instanceId}/token/${token}/send-button-actions`);
    expect(request.query).toEqual({});
    expect(request.headers["client-token"]).toBe(clientToken);
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.authorization).toBeUndefined();
  });

  it("sends header as title, body as message, footer, and REPLY buttons, unicode intact", async () => {
    const channel = createZapiChannel(simulatorOptions(simulator));
    await channel.send("5511999999999", withEverything, context());
    const request = only();
    expect(request.body).toStrictEqual({
      phone: "5511999999999",
      title: "Olá 👋",
      message: "Café, naïve, 𝒜stral, e\u0301 — 你好",
      footer: "replykit ✓",
      buttonActions: [
        { id: "yes-✓", type: "REPLY", label: "Sim 👍" },
        { id: "no", type: "REPLY", label: "Não" },
        { id: "later", type: "REPLY", label: "🕐 Mais tarde" },
      ],
    });
    // UTF-8 on the wire, not \u escapes, and the combining mark kept as sent (no NFC).
    expect(request.rawBody).toContain("𝒜stral, e\u0301");
    expect(request.rawBody).toContain("👋");
  });

  it.each([1, 2, 3])(
    "sends no title or footer key for a message without them (%i button(s))",
    async (count) => {
      const channel = createZapiChannel(simulatorOptions(simulator));
      const buttons = Array.from({ length: count }, (_, index) => ({
        id: String(index + 1),
        title: `Option ${index + 1}`,
      }));
      await channel.send("5511999999999", message({ body: "Pick one", buttons }), context());
      expect(only().body).toStrictEqual({
        phone: "5511999999999",
        message: "Pick one",
        buttonActions: buttons.map(({ id, title }) => ({ id, type: "REPLY", label: title })),
      });
    },
  );

  it("sends the providers/README.md send-button-list example exactly with endpoint button-list", async () => {
    const channel = createZapiChannel({ ...simulatorOptions(simulator), endpoint: "button-list" });
    const sent = message({
      body: "required, never empty",
      buttons: [
        { id: "1", title: "Great" },
        { id: "2", title: "Excellent" },
      ],
    });
    await channel.send("5511999999999", sent, context());
    const request = only();
    expect(request.path).toMatch(/\/send-button-list$/);
    expect(request.body).toStrictEqual({
      phone: "5511999999999",
      message: "required, never empty",
      buttonList: {
        buttons: [
          { id: "1", label: "Great" },
          { id: "2", label: "Excellent" },
        ],
      },
    });
  });

  it("sends delayMessage only when delayMessageSeconds is set", async () => {
    const delayed = createZapiChannel({ ...simulatorOptions(simulator), delayMessageSeconds: 5 });
    await delayed.send(
      "5511999999999",
      message({ body: "Hi", buttons: [{ id: "a", title: "A" }] }),
      context(),
    );
    expect(only().body).toMatchObject({ delayMessage: 5 });
    simulator.clear();
    const list = createZapiChannel({
      ...simulatorOptions(simulator),
      endpoint: "button-list",
      delayMessageSeconds: 15,
    });
    await list.send(
      "5511999999999",
      message({ body: "Hi", buttons: [{ id: "a", title: "A" }] }),
      context(),
    );
    expect(only().body).toMatchObject({ delayMessage: 15 });
  });

  it("sends the recipient as digits only", async () => {
    const channel = createZapiChannel(simulatorOptions(simulator));
    await channel.send(
      " +55 (11) 99999-9999 ",
      message({ body: "Hi", buttons: [{ id: "a", title: "A" }] }),
      context(),
    );
    expect(only().body).toMatchObject({ phone: "5511999999999" });
  });

  it.each([
    ["header", { header: "A header" }],
    ["footer", { footer: "A footer" }],
  ])(
    "refuses a %s on send-button-list before any request, instead of dropping it",
    async (field, extra) => {
      const channel = createZapiChannel({
        ...simulatorOptions(simulator),
        endpoint: "button-list",
      });
      expect(channel.capabilities[field as "header" | "footer"]).toBe(false);
      const sent = message({ ...extra, body: "Hi", buttons: [{ id: "a", title: "A" }] });
      const failure = await channel
        .send("5511999999999", sent, context())
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ProviderRejected);
      expect((failure as ProviderRejected).message).toContain(field);
      expect(simulator.received).toHaveLength(0);
    },
  );

  it("refuses a header and a footer together on send-button-list, naming both, before any request", async () => {
    const channel = createZapiChannel({ ...simulatorOptions(simulator), endpoint: "button-list" });
    const sent = message({
      header: "H",
      body: "Hi",
      footer: "F",
      buttons: [{ id: "a", title: "A" }],
    });
    const failure = await channel
      .send("5511999999999", sent, context())
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderRejected);
    expect((failure as ProviderRejected).message).toMatch(/header or a footer/);
    expect((failure as ProviderRejected).message).toMatch(/button-actions/);
    expect(simulator.received).toHaveLength(0);
  });

  it("sends a header and footer on send-button-actions: only send-button-list refuses them", async () => {
    const channel = createZapiChannel(simulatorOptions(simulator));
    const sent = message({
      header: "H",
      body: "Hi",
      footer: "F",
      buttons: [{ id: "a", title: "A" }],
    });
    await channel.send("5511999999999", sent, context());
    expect(only().body).toMatchObject({ title: "H", footer: "F" });
  });
});

describe("toRequestBody", () => {
  it("builds send-button-actions by default shape, with REPLY buttons in order", () => {
    expect(
      toRequestBody("5511999999999", withEverything, { endpoint: "button-actions" }),
    ).toStrictEqual({
      phone: "5511999999999",
      title: "Olá 👋",
      message: "Café, naïve, 𝒜stral, e\u0301 — 你好",
      footer: "replykit ✓",
      buttonActions: [
        { id: "yes-✓", type: "REPLY", label: "Sim 👍" },
        { id: "no", type: "REPLY", label: "Não" },
        { id: "later", type: "REPLY", label: "🕐 Mais tarde" },
      ],
    });
  });

  it("builds send-button-list with id and label and nothing else", () => {
    const sent = message({ body: "Body", buttons: [{ id: "x", title: "X" }] });
    expect(
      toRequestBody("5511999999999", sent, { endpoint: "button-list", delayMessageSeconds: 3 }),
    ).toStrictEqual({
      phone: "5511999999999",
      message: "Body",
      buttonList: { buttons: [{ id: "x", label: "X" }] },
      delayMessage: 3,
    });
  });
});

describe("toRecipient", () => {
  it.each([
    ["5511999999999", "5511999999999"],
    ["+5511999999999", "5511999999999"],
    ["+55 11 99999-9999", "5511999999999"],
    ["+55 (11) 99999-9999", "5511999999999"],
    ["  5511999999999\n", "5511999999999"],
    ["1-800-555-0100", "18005550100"],
    ["55.11.99999.9999", "5511999999999"],
  ])("reduces %j to %j", (recipient, phone) => {
    expect(toRecipient(recipient)).toBe(phone);
  });

  it.each([
    ["120363019502650977-group", "120363019502650977-group"],
    [" 120363019502650977-group ", "120363019502650977-group"],
    ["5511999999999@s.whatsapp.net", "5511999999999@s.whatsapp.net"],
  ])(
    "sends %j, which is not a formatted phone number, as %j for Z-API to judge",
    (recipient, phone) => {
      expect(toRecipient(recipient)).toBe(phone);
    },
  );
});

describe("toRecipient and the other adapters", () => {
  it("formats a recipient exactly as the other adapters do, by http-transport's phoneDigits", () => {
    for (const written of ["+55 (11) 99999-9999", "55.11.99999.9999", " +55\t11 99999-9999 "]) {
      expect(toRecipient(written)).toBe(phoneDigits(written));
    }
  });
});

describe("the URL", () => {
  const recording = () => {
    const requests: HttpRequest[] = [];
    const transport: HttpTransport = async (request) => {
      requests.push(request);
      return {
        status: 200,
        header: () => undefined,
        body: JSON.stringify({ zaapId: "Z", messageId: "M", id: "M" }),
      };
    };
    return { requests, transport };
  };
  const credentials = {
    instanceId: "3C01A",
    instanceToken: "F00D/T0K?N",
    clientToken: "client-secret",
  };
  const hello = message({ body: "Hi", buttons: [{ id: "a", title: "A" }] });

  it("defaults to https://api.z-api.io and escapes the path segments", async () => {
    const { requests, transport } = recording();
    await createZapiChannel({ ...credentials, transport }).send("5511999999999", hello, context());
    expect(requests[0]?.url).toBe(
      "https://api.z-api.io/instances/3C01A/token/F00D%2FT0K%3FN/send-button-actions",
    );
    expect(requests[0]?.method).toBe("POST");
    expect(requests[0]?.headers).toMatchObject({
      "Client-Token": "client-secret",
      "content-type": "application/json",
    });
  });

  it("keeps a baseUrl path prefix and ignores its trailing slash", async () => {
    const { requests, transport } = recording();
    await createZapiChannel({
      ...credentials,
      transport,
      baseUrl: "https://proxy.example/zapi/",
      endpoint: "button-list",
    }).send("5511999999999", hello, context());
    expect(requests[0]?.url).toBe(
      "https://proxy.example/zapi/instances/3C01A/token/F00D%2FT0K%3FN/send-button-list",
    );
  });
});
