import { z } from "zod";
import { zapperControl } from "./control.js";
import {
  type CommonSimulatorOptions,
  type InjectedError,
  mediaType,
  type ProviderSimulator,
  type Reply,
  type SentMessage,
  type SimulatorRequest,
  startSimulatorServer,
} from "./http-server.js";
import { freshHexId } from "./ids.js";
import { firstIssue, isMissing, type SchemaIssue } from "./issues.js";
import { type ZapperWebhooks, zapperWebhooks } from "./zapper-webhooks.js";

export interface ZapperCredentials {
  readonly instanceId: string;
  /** Sent as the `X-Api-Key` header. */
  readonly apiKey: string;
}

export const DEFAULT_ZAPPER_CREDENTIALS: ZapperCredentials = Object.freeze({
  // Same shape as the placeholder instance id in ZapperAPI's openapi.json.
  instanceId: "inst_replykitsimulator0001",
  apiKey: "sim-zapper-api-key",
});

// Request schema of POST /messages/buttons in ZapperAPI's openapi.json
// (github.com/zapperapi/n8n-nodes-zapperapi): jid and buttons required, the rest optional.
const buttonSchema = z.object({
  type: z.enum(["url", "copy", "call", "reply"]),
  displayText: z.string(),
  id: z.string(),
  copyCode: z.string().optional(),
  url: z.string().optional(),
  phoneNumber: z.string().optional(),
});

function buttonsBodySchema(maxButtons: number) {
  return z.object({
    jid: z.string().min(1),
    body: z.string().optional(),
    title: z.string().optional(),
    footer: z.string().optional(),
    media: z.string().optional(),
    mediaType: z.enum(["image", "video"]).optional(),
    expiration: z.enum(["none", "24h", "7d", "90d"]).optional(),
    // The openapi sets no item limits; 1..maxButtons is the simulator's choice.
    buttons: z.array(buttonSchema).min(1).max(maxButtons),
  });
}

export type ZapperButtonsRequest = z.infer<ReturnType<typeof buttonsBodySchema>>;

export interface ZapperSentMessage {
  /** The new message id, found at `key.id` in the default success body. */
  readonly messageId: string;
  readonly remoteJid: string;
  readonly request: ZapperButtonsRequest;
}

export interface ZapperSimulatorOptions extends CommonSimulatorOptions {
  readonly instanceId?: string;
  readonly apiKey?: string;
  /** ZapperAPI documents no button limit; WhatsApp renders at most 3 reply buttons. Default 3. */
  readonly maxButtons?: number;
  /**
   * The openapi documents no success body for this endpoint. The default is a WhatsApp Web
   * message (`{ key: { remoteJid, fromMe, id }, message, messageTimestamp, status }`);
   * override it here once the real shape is known.
   */
  readonly successBody?: (sent: ZapperSentMessage) => unknown;
}

export interface ZapperSimulator extends ProviderSimulator<ZapperCredentials> {
  /** ZapperAPI's webhooks the other way: taps and statuses posted to a URL you give. */
  readonly webhooks: ZapperWebhooks;
}

/** Fastify's error body, which ZapperAPI's server (generated openapi, Fastify-style) answers with. */
export interface ZapperErrorBody {
  readonly statusCode: number;
  readonly code?: string;
  readonly error: string;
  readonly message: string;
}

const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

function fastifyError(statusCode: number, message: string, code?: string): Reply {
  const body: ZapperErrorBody = {
    statusCode,
    ...(code === undefined ? {} : { code }),
    error: REASONS[statusCode] ?? `HTTP ${statusCode}`,
    message,
  };
  return { status: statusCode, body };
}

// ZapperAPI has no numeric error codes of its own, so an injected errorCode is an HTTP status.
function injectedZapperError(failure: InjectedError): Reply {
  const status =
    failure.status ?? failure.errorCode ?? (failure.retryAfterSeconds === undefined ? 500 : 429);
  return fastifyError(status, "Injected by the provider simulator (failNext)");
}

/** Ajv's wording, which Fastify puts in `message` (`body/buttons/0 must have required property 'id'`). */
function ajvMessage(input: unknown, issue: SchemaIssue): string {
  const location = (path: readonly PropertyKey[]): string =>
    ["body", ...path.map(String)].join("/");
  if (issue.path.length === 0) return "body must be object";
  if (isMissing(input, issue)) {
    const last = issue.path[issue.path.length - 1];
    return `${location(issue.path.slice(0, -1))} must have required property '${String(last)}'`;
  }
  const at = location(issue.path);
  switch (issue.code) {
    case "invalid_type":
      return `${at} must be ${issue.expected}`;
    case "too_small":
      return `${at} must NOT have fewer than ${String(issue.minimum)} ${issue.origin === "array" ? "items" : "characters"}`;
    case "too_big":
      return `${at} must NOT have more than ${String(issue.maximum)} ${issue.origin === "array" ? "items" : "characters"}`;
    case "invalid_value":
      return `${at} must be equal to one of the allowed values`;
    default:
      return `${at} ${issue.message}`;
  }
}

function toRemoteJid(jid: string): string {
  return jid.includes("@") ? jid : `${jid.replace(/\D/g, "")}@s.whatsapp.net`;
}

// A WhatsApp Web message as the multi-device libraries return it from a send; guessed, see README.
function defaultSuccessBody(sent: ZapperSentMessage): unknown {
  const { request } = sent;
  return {
    key: { remoteJid: sent.remoteJid, fromMe: true, id: sent.messageId },
    message: {
      interactiveMessage: {
        ...(request.title === undefined ? {} : { header: { title: request.title } }),
        body: { text: request.body ?? "" },
        ...(request.footer === undefined ? {} : { footer: { text: request.footer } }),
        nativeFlowMessage: {
          buttons: request.buttons.map((button) => ({
            name: "quick_reply",
            buttonParamsJson: JSON.stringify({ display_text: button.displayText, id: button.id }),
          })),
        },
      },
    },
    messageTimestamp: Math.floor(Date.now() / 1000),
    status: "PENDING",
  };
}

const ROUTE = /^\/([^/]+)\/(messages\/buttons|connection)\/?$/;

export async function startZapperSimulator(
  options: ZapperSimulatorOptions = {},
): Promise<ZapperSimulator> {
  const credentials: ZapperCredentials = {
    instanceId: options.instanceId ?? DEFAULT_ZAPPER_CREDENTIALS.instanceId,
    apiKey: options.apiKey ?? DEFAULT_ZAPPER_CREDENTIALS.apiKey,
  };
  const schema = buttonsBodySchema(options.maxButtons ?? 3);
  const successBody = options.successBody ?? defaultSuccessBody;

  const handle = (request: SimulatorRequest): Reply => {
    const match = ROUTE.exec(request.path);
    const route = match?.[2];
    const expectedMethod = route === "connection" ? "GET" : "POST";
    if (route === undefined || request.method !== expectedMethod) {
      // Fastify answers an unknown method on a known path with the same 404.
      return fastifyError(404, `Route ${request.method}:${request.path} not found`);
    }

    const apiKey = request.headers["x-api-key"];
    if (apiKey === undefined || apiKey === "") return fastifyError(401, "Missing API key");
    if (apiKey !== credentials.apiKey) return fastifyError(401, "Invalid API key");
    if (match?.[1] !== credentials.instanceId) return fastifyError(404, "Instance not found");

    if (route === "connection") {
      // Required fields of the documented GET /connection response.
      return { status: 200, body: { instanceType: "device", status: "open" } };
    }

    const type = mediaType(request);
    let input: unknown;
    if (type === "application/json") {
      if (request.json.kind === "empty") {
        return fastifyError(
          400,
          "Body cannot be empty when content-type is set to 'application/json'",
          "FST_ERR_CTP_EMPTY_JSON_BODY",
        );
      }
      if (request.json.kind === "invalid") {
        return fastifyError(
          400,
          "Body is not valid JSON but content-type is set to 'application/json'",
          "FST_ERR_CTP_INVALID_JSON_BODY",
        );
      }
      input = request.json.value;
    } else if (type === "text/plain") {
      // Fastify parses text/plain natively into a string, which then fails the object schema.
      input = request.rawBody;
    } else if (type !== undefined || request.rawBody !== "") {
      return fastifyError(
        415,
        `Unsupported Media Type: ${type ?? "undefined"}`,
        "FST_ERR_CTP_INVALID_MEDIA_TYPE",
      );
    }

    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      return fastifyError(
        400,
        issue === undefined ? "body is not valid" : ajvMessage(input, issue),
        "FST_ERR_VALIDATION",
      );
    }
    const sent: ZapperSentMessage = {
      // WhatsApp Web ids: "3EB0" followed by upper-case hex.
      messageId: `3EB0${freshHexId(9)}`,
      remoteJid: toRemoteJid(parsed.data.jid),
      request: parsed.data,
    };
    return {
      status: 200,
      body: successBody(sent),
      sent: {
        messageId: sent.messageId,
        recipient: sent.remoteJid,
        // Only reply buttons post a tap; url, copy and call buttons act on the phone.
        buttons: sent.request.buttons.flatMap((button) =>
          button.type === "reply" ? [{ id: button.id, title: button.displayText }] : [],
        ),
        sentAt: new Date(),
      },
    };
  };

  // The webhooks read the server's sent messages; the server answers their control routes.
  let sentMessage: (messageId: string) => SentMessage | undefined = () => undefined;
  const webhooks = zapperWebhooks(credentials.instanceId, (id) => sentMessage(id));
  const simulator = await startSimulatorServer(options, credentials, {
    handle,
    injectedError: injectedZapperError,
    control: zapperControl(webhooks),
  });
  sentMessage = simulator.sentMessage;
  return { ...simulator, webhooks };
}
