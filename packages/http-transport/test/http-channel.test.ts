import {
  type ChannelCapabilities,
  defineChannelDriver,
  ProviderRejected,
  REDACTED,
  WHATSAPP_CLOUD_LIMITS,
} from "@replykit/core";
import { buttonMessage, sendContext } from "@replykit/core/testing";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  createHttpChannel,
  type HttpChannelSpec,
  type HttpRequest,
  type HttpTransport,
  httpChannelFactory,
  type JsonAnswer,
} from "../src/index.js";

// The send skeleton every HTTP provider shares: post the body, read the answer, redact,
// and resolve with the receipt or reject with the provider's error.

const capabilities: ChannelCapabilities = {
  maxButtons: 3,
  limits: WHATSAPP_CLOUD_LIMITS,
  header: true,
  footer: true,
  buttonRendering: "native",
};

const message = buttonMessage({ body: "Hi", buttons: [{ id: "a", title: "A" }] });

function spec(transport: HttpTransport, overrides: Partial<HttpChannelSpec> = {}): HttpChannelSpec {
  return {
    provider: "acme",
    capabilities,
    url: "https://api.acme.example/v1/tok-SECRET/send",
    headers: { authorization: "Bearer key-SECRET" },
    timeoutMs: 1_000,
    transport,
    secrets: ["key-SECRET", "tok-SECRET"],
    toRequestBody: (recipient, sent) => ({ to: recipient, text: sent.body }),
    readAnswer: (answer: JsonAnswer, redact) =>
      answer.status === 200
        ? { providerMessageId: String((answer.body as { id: string }).id) }
        : new ProviderRejected({
            provider: "acme",
            httpStatus: answer.status,
            message: redact(`refused: ${JSON.stringify(answer.body)}`),
          }),
    ...overrides,
  };
}

const answering =
  (status: number, body: unknown, seen: HttpRequest[] = []): HttpTransport =>
  async (request) => {
    seen.push(request);
    return { status, body: JSON.stringify(body), header: () => undefined };
  };

describe("createHttpChannel", () => {
  it("posts the provider's body to the URL with the headers, and resolves with the receipt", async () => {
    const seen: HttpRequest[] = [];
    const channel = createHttpChannel(spec(answering(200, { id: "m-1" }, seen)));
    expect(channel.provider).toBe("acme");
    expect(channel.capabilities).toBe(capabilities);
    expect(await channel.send("5511999990000", message, sendContext())).toEqual({
      providerMessageId: "m-1",
    });
    expect(seen).toMatchObject([
      {
        method: "POST",
        url: "https://api.acme.example/v1/tok-SECRET/send",
        headers: { authorization: "Bearer key-SECRET", "content-type": "application/json" },
        body: JSON.stringify({ to: "5511999990000", text: "Hi" }),
      },
    ]);
  });

  it("rejects with the provider's error, every secret blanked out of its text", async () => {
    const channel = createHttpChannel(
      spec(answering(401, { echoed: "key-SECRET and tok-SECRET" })),
    );
    const error = await channel.send("5511999990000", message, sendContext()).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProviderRejected);
    expect((error as Error).message).toBe(`refused: {"echoed":"${REDACTED} and ${REDACTED}"}`);
  });

  it("refuses a message the spec refuses, before anything is sent", async () => {
    const seen: HttpRequest[] = [];
    const refusal = new ProviderRejected({ provider: "acme", message: "no footer here" });
    const channel = createHttpChannel(
      spec(answering(200, { id: "m-1" }, seen), { refuse: () => refusal }),
    );
    await expect(channel.send("5511999990000", message, sendContext())).rejects.toBe(refusal);
    expect(seen).toEqual([]);
  });

  it("sends a message the spec's refuse lets through", async () => {
    const channel = createHttpChannel(
      spec(answering(200, { id: "m-2" }), { refuse: () => undefined }),
    );
    expect(await channel.send("5511999990000", message, sendContext())).toEqual({
      providerMessageId: "m-2",
    });
  });

  it("does not let a caller change the headers it was made with", async () => {
    const headers: Record<string, string> = { authorization: "Bearer key-SECRET" };
    const seen: HttpRequest[] = [];
    const channel = createHttpChannel(spec(answering(200, { id: "m" }, seen), { headers }));
    headers.authorization = "Bearer changed";
    await channel.send("5511999990000", message, sendContext());
    expect(seen[0]?.headers.authorization).toBe("Bearer key-SECRET");
  });

  it("passes the caller's signal on: an aborted send is never handed to the transport", async () => {
    const seen: HttpRequest[] = [];
    const channel = createHttpChannel(spec(answering(200, { id: "m" }, seen)));
    await expect(
      channel.send("5511999990000", message, sendContext(AbortSignal.abort())),
    ).rejects.toMatchObject({ _tag: "ProviderUnavailable" });
    expect(seen).toEqual([]);
  });
});

describe("httpChannelFactory", () => {
  const driver = defineChannelDriver({
    provider: "acme",
    options: z.object({ apiKey: z.string().min(1, "apiKey is required") }),
    capabilities: () => capabilities,
    create: (options, env: { transport?: HttpTransport | undefined }) =>
      createHttpChannel(
        spec(env.transport ?? answering(500, {}), {
          headers: { authorization: `Bearer ${options.apiKey}` },
        }),
      ),
  });
  const createAcmeChannel = httpChannelFactory("createAcmeChannel", driver);

  it("makes the driver's channel with the given transport", async () => {
    const seen: HttpRequest[] = [];
    const channel = createAcmeChannel({
      apiKey: "k-1",
      transport: answering(200, { id: "m" }, seen),
    });
    await channel.send("5511999990000", message, sendContext());
    expect(seen[0]?.headers.authorization).toBe("Bearer k-1");
  });

  it("throws one Error naming the factory and every problem, the transport's included", () => {
    expect(() => createAcmeChannel({ apiKey: "", transport: "fetch" } as never)).toThrow(
      /^createAcmeChannel: invalid options: apiKey is required; transport must be a function/,
    );
  });
});
