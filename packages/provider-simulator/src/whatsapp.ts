import { z } from "zod";
import { whatsappControl } from "./control.js";
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
import { freshFbtraceId, freshWamid } from "./ids.js";
import { firstIssue, isMissing, type SchemaIssue } from "./issues.js";
import { type WhatsAppWebhooks, whatsappWebhooks } from "./whatsapp-webhooks.js";

export interface WhatsAppCredentials {
  readonly accessToken: string;
  readonly phoneNumberId: string;
}

export const DEFAULT_WHATSAPP_CREDENTIALS: WhatsAppCredentials = Object.freeze({
  accessToken: "sim-whatsapp-token",
  phoneNumberId: "100000000000001",
});

/** A version to configure clients with; the simulator accepts any `vNN.N` unless told otherwise. */
export const DEFAULT_WHATSAPP_API_VERSION = "v23.0";

export interface WhatsAppSimulatorOptions extends CommonSimulatorOptions {
  readonly accessToken?: string;
  readonly phoneNumberId?: string;
  /** When set, any other version in the path is rejected. By default every `vNN.N` is accepted. */
  readonly apiVersion?: string;
}

export interface WhatsAppSimulator extends ProviderSimulator<WhatsAppCredentials> {
  /** Meta's webhooks the other way: taps and statuses posted, signed, to a URL you give. */
  readonly webhooks: WhatsAppWebhooks;
}

// Limits from the Cloud API reference for interactive reply buttons
// (see /work/shared/providers/README.md). Lengths are UTF-16 code units, as `.length` counts.
const MAX_BUTTONS = 3;
const MAX_TITLE = 20;
const MAX_BUTTON_ID = 256;
const MAX_BODY = 1024;
const MAX_HEADER = 60;
const MAX_FOOTER = 60;

const notBlank = (value: string): boolean => value.trim().length > 0;

const mediaObject = z
  .object({ link: z.string().optional(), id: z.string().optional() })
  .refine((media) => media.link !== undefined || media.id !== undefined, {
    message: "A media header needs a link or an id.",
  });

const header = z
  .object({
    type: z.enum(["text", "image", "video", "document"]),
    text: z.string().optional(),
    image: mediaObject.optional(),
    video: mediaObject.optional(),
    document: mediaObject.optional(),
  })
  .superRefine((value, ctx) => {
    if (value.type === "text") {
      if (value.text === undefined) {
        ctx.addIssue({ code: "custom", path: ["text"], message: "Header text is required." });
      } else if (!notBlank(value.text) || value.text.length > MAX_HEADER) {
        ctx.addIssue({
          code: "custom",
          path: ["text"],
          message: `Header text length invalid. Min length: 1, Max length: ${MAX_HEADER}`,
        });
      }
    } else if (value[value.type] === undefined) {
      ctx.addIssue({
        code: "custom",
        path: [value.type],
        message: `Header ${value.type} is required.`,
      });
    }
  });

const replyButton = z.object({
  type: z.literal("reply"),
  reply: z.object({
    id: z
      .string()
      .min(1, "Button id length invalid. Min length: 1, Max length: 256")
      .max(MAX_BUTTON_ID, `Button id length invalid. Min length: 1, Max length: ${MAX_BUTTON_ID}`)
      .refine((id) => id === id.trim(), "Button id cannot have leading or trailing whitespace."),
    title: z
      .string()
      .refine(notBlank, "Button title cannot be empty.")
      .refine(
        (title) => title.length <= MAX_TITLE,
        `Button title length invalid. Min length: 1, Max length: ${MAX_TITLE}`,
      ),
  }),
});

const buttons = z
  .array(replyButton)
  .min(1, `Buttons count invalid. Min allowed buttons: 1, Max allowed buttons: ${MAX_BUTTONS}`)
  .max(
    MAX_BUTTONS,
    `Buttons count invalid. Min allowed buttons: 1, Max allowed buttons: ${MAX_BUTTONS}`,
  )
  .superRefine((list, ctx) => {
    const ids = list.map((button) => button.reply.id);
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: "custom", message: "Button ids must be unique." });
    }
    const titles = list.map((button) => button.reply.title);
    if (new Set(titles).size !== titles.length) {
      ctx.addIssue({ code: "custom", message: "Button titles must be unique." });
    }
  });

const sendButtonsBody = z.object({
  messaging_product: z.literal("whatsapp"),
  recipient_type: z.enum(["individual", "group"]).optional(),
  to: z.string().min(1),
  // Only reply-button messages are simulated; other message types are "not valid" here.
  type: z.literal("interactive"),
  interactive: z.object({
    type: z.literal("button"),
    header: header.optional(),
    body: z.object({
      text: z
        .string()
        .refine(notBlank, "Body text cannot be empty.")
        .refine(
          (text) => text.length <= MAX_BODY,
          `Body text length invalid. Min length: 1, Max length: ${MAX_BODY}`,
        ),
    }),
    footer: z
      .object({
        text: z
          .string()
          .refine(
            (text) => notBlank(text) && text.length <= MAX_FOOTER,
            `Footer text length invalid. Min length: 1, Max length: ${MAX_FOOTER}`,
          ),
      })
      .optional(),
    action: z.object({ buttons }),
  }),
});

interface MetaError {
  readonly status: number;
  readonly code: number;
  readonly message: string;
  readonly type?: string;
  readonly subcode?: number;
  readonly details?: string;
}

function metaError(error: MetaError): Reply {
  return {
    status: error.status,
    body: {
      error: {
        message: error.message,
        type: error.type ?? "OAuthException",
        code: error.code,
        ...(error.subcode === undefined ? {} : { error_subcode: error.subcode }),
        ...(error.details === undefined
          ? {}
          : { error_data: { messaging_product: "whatsapp", details: error.details } }),
        fbtrace_id: freshFbtraceId(),
      },
    },
  };
}

// What each code means and the HTTP status Meta answers it with (providers README table).
const KNOWN_CODES: Readonly<Record<number, { status: number; message: string }>> = {
  1: { status: 500, message: "An unknown error occurred" },
  2: { status: 503, message: "Service temporarily unavailable" },
  4: { status: 429, message: "(#4) Application request limit reached" },
  10: { status: 403, message: "(#10) Application does not have permission for this action" },
  100: { status: 400, message: "(#100) Invalid parameter" },
  190: { status: 401, message: "Invalid OAuth access token - Cannot parse access token" },
  200: { status: 403, message: "(#200) Permissions error" },
  80007: { status: 429, message: "(#80007) Rate limit issues" },
  130429: { status: 429, message: "(#130429) Rate limit hit" },
  131000: { status: 500, message: "(#131000) Something went wrong" },
  131008: { status: 400, message: "(#131008) Required parameter is missing" },
  131009: { status: 400, message: "(#131009) Parameter value is not valid" },
  131026: { status: 400, message: "(#131026) Message undeliverable" },
  131047: { status: 400, message: "(#131047) Re-engagement message" },
  131056: {
    status: 400,
    message: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
  },
};

function injectedMetaError(failure: InjectedError): Reply {
  const code =
    failure.errorCode ??
    (failure.status === undefined
      ? failure.retryAfterSeconds === undefined
        ? 131000
        : 130429
      : codeForStatus(failure.status));
  const known = KNOWN_CODES[code];
  return metaError({
    status: failure.status ?? known?.status ?? 400,
    code,
    message: known?.message ?? `(#${code}) Simulated error`,
    details: "Injected by the provider simulator (failNext).",
  });
}

function codeForStatus(status: number): number {
  if (status === 401) return 190;
  if (status === 403) return 200;
  if (status === 429) return 130429;
  if (status === 503) return 2;
  if (status >= 500) return 131000;
  return 100;
}

/** `interactive['action']['buttons'][0]['reply']['title']`, the way Meta names parameters. */
function metaParameter(path: readonly PropertyKey[]): string {
  const [first, ...rest] = path;
  return `${String(first ?? "body")}${rest.map((key) => (typeof key === "number" ? `[${key}]` : `['${String(key)}']`)).join("")}`;
}

function validationError(input: unknown, issue: SchemaIssue): Reply {
  const parameter = metaParameter(issue.path);
  if (isMissing(input, issue)) {
    return metaError({
      status: 400,
      code: 131008,
      message: "(#131008) Required parameter is missing",
      details: `The parameter ${parameter} is required.`,
    });
  }
  const ownMessage =
    issue.code === "custom" || issue.code === "too_small" || issue.code === "too_big";
  return metaError({
    status: 400,
    code: 131009,
    message: "(#131009) Parameter value is not valid",
    details: ownMessage ? issue.message : `Invalid value for parameter ${parameter}.`,
  });
}

const MESSAGES_PATH = /^\/(v\d+\.\d+)\/([^/]+)\/messages\/?$/;

function unsupportedRequest(method: string, objectId: string): Reply {
  return metaError({
    status: 400,
    code: 100,
    subcode: 33,
    type: "GraphMethodException",
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  });
}

function accessToken(request: SimulatorRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    return match?.[1];
  }
  // Graph also takes the token as a query parameter.
  return request.query.get("access_token") ?? undefined;
}

export async function startWhatsAppSimulator(
  options: WhatsAppSimulatorOptions = {},
): Promise<WhatsAppSimulator> {
  const credentials: WhatsAppCredentials = {
    accessToken: options.accessToken ?? DEFAULT_WHATSAPP_CREDENTIALS.accessToken,
    phoneNumberId: options.phoneNumberId ?? DEFAULT_WHATSAPP_CREDENTIALS.phoneNumberId,
  };

  const handle = (request: SimulatorRequest): Reply => {
    const match = MESSAGES_PATH.exec(request.path);
    const version = match?.[1];
    const objectId = match?.[2];
    if (version === undefined || objectId === undefined) {
      return metaError({
        status: 400,
        code: 2500,
        message: `Unknown path components: ${request.path}`,
      });
    }
    if (options.apiVersion !== undefined && version !== options.apiVersion) {
      // Simulator choice: Graph would route an unknown version differently; a clear 400 is more useful.
      return metaError({
        status: 400,
        code: 100,
        message: "(#100) Unsupported API version",
        details: `The simulator expects ${options.apiVersion}, the request used ${version}.`,
      });
    }
    if (request.method !== "POST") return unsupportedRequest(request.method, objectId);

    const token = accessToken(request);
    if (token === undefined) {
      return metaError({
        status: 401,
        code: 190,
        message: "An access token is required to request this resource.",
      });
    }
    if (token !== credentials.accessToken) {
      return metaError({
        status: 401,
        code: 190,
        message: "Invalid OAuth access token - Cannot parse access token",
      });
    }
    if (objectId !== credentials.phoneNumberId) return unsupportedRequest("POST", objectId);

    if (request.json.kind !== "parsed" || mediaType(request) !== "application/json") {
      return metaError({
        status: 400,
        code: 100,
        message: "(#100) Invalid parameter",
        details: "The request body must be a JSON object sent as application/json.",
      });
    }
    const input = request.json.value;
    const parsed = sendButtonsBody.safeParse(input);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      return issue === undefined
        ? metaError({
            status: 400,
            code: 131009,
            message: "(#131009) Parameter value is not valid",
          })
        : validationError(input, issue);
    }
    const recipient = parsed.data.to;
    // Meta normalises the recipient into wa_id: digits only.
    const waId = recipient.replace(/\D/g, "");
    const messageId = freshWamid();
    return {
      status: 200,
      body: {
        messaging_product: "whatsapp",
        contacts: [{ input: recipient, wa_id: waId }],
        messages: [{ id: messageId }],
      },
      sent: {
        messageId,
        recipient: waId,
        buttons: parsed.data.interactive.action.buttons.map(({ reply }) => ({
          id: reply.id,
          title: reply.title,
        })),
        sentAt: new Date(),
      },
    };
  };

  // The webhooks read the server's sent messages; the server answers their control routes.
  let sentMessage: (messageId: string) => SentMessage | undefined = () => undefined;
  const webhooks = whatsappWebhooks(credentials.phoneNumberId, (id) => sentMessage(id));
  const simulator = await startSimulatorServer(options, credentials, {
    handle,
    injectedError: injectedMetaError,
    control: whatsappControl(webhooks),
  });
  sentMessage = simulator.sentMessage;
  return { ...simulator, webhooks };
}
