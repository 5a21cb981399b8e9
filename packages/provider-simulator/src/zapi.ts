import { z } from "zod";
import { zapiControl } from "./control.js";
import {
  type CommonSimulatorOptions,
  type InjectedError,
  mediaType,
  type ProviderSimulator,
  type Reply,
  type SentButton,
  type SentMessage,
  type SimulatorRequest,
  startSimulatorServer,
} from "./http-server.js";
import { freshHexId } from "./ids.js";
import { firstIssue, isMissing, type SchemaIssue } from "./issues.js";
import { type ZapiWebhooks, zapiWebhooks } from "./zapi-webhooks.js";

export interface ZapiCredentials {
  readonly instanceId: string;
  readonly token: string;
  /** The account security token, sent as the `Client-Token` header. */
  readonly clientToken: string;
}

export const DEFAULT_ZAPI_CREDENTIALS: ZapiCredentials = Object.freeze({
  instanceId: "sim-zapi-instance",
  token: "sim-zapi-token",
  clientToken: "sim-zapi-client-token",
});

export interface ZapiSimulatorOptions extends CommonSimulatorOptions {
  readonly instanceId?: string;
  readonly token?: string;
  readonly clientToken?: string;
  /**
   * Whether the account security token is active, so `Client-Token` must be sent.
   * Default true. When false the header is ignored, as Z-API does before activation.
   */
  readonly requireClientToken?: boolean;
  /** Whether the instance starts connected to WhatsApp. Default true. */
  readonly connected?: boolean;
  /** Z-API documents no button limit; WhatsApp renders at most 3 reply buttons. Default 3. */
  readonly maxButtons?: number;
}

export interface ZapiSimulator extends ProviderSimulator<ZapiCredentials> {
  /** Connects or disconnects the simulated instance; `reset()` restores the initial state. */
  setConnected(connected: boolean): void;
  readonly connected: boolean;
  /** Z-API's webhooks the other way: taps and statuses posted to a URL you give. */
  readonly webhooks: ZapiWebhooks;
}

/** Z-API answers errors as `{ error }`; the simulator adds `message` with details on 400s. */
export interface ZapiErrorBody {
  readonly error: string;
  readonly message?: string;
}

function zapiError(status: number, error: string, message?: string): Reply {
  const body: ZapiErrorBody = message === undefined ? { error } : { error, message };
  return { status, body };
}

const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

// Z-API has no numeric error codes of its own, so an injected errorCode is an HTTP status.
function injectedZapiError(failure: InjectedError): Reply {
  const status =
    failure.status ?? failure.errorCode ?? (failure.retryAfterSeconds === undefined ? 500 : 429);
  return zapiError(status, REASONS[status] ?? `HTTP ${status}`);
}

const notBlank = (value: string): boolean => value.trim().length > 0;
// Z-API's docs: the phone in international form, digits only (or a group id, "<digits>-group").
const phone = z
  .string()
  .refine(notBlank, "phone is required")
  .refine(
    (value) => /^(\d+|[\d-]+-group)$/.test(value),
    "phone must be digits only, with the country code",
  );
const message = z.string().refine(notBlank, "message cannot be empty");
// Documented range for delayMessage: 1 to 15 seconds.
const delayMessage = z
  .number()
  .int("delayMessage must be a whole number of seconds")
  .min(1, "delayMessage must be between 1 and 15 seconds")
  .max(15, "delayMessage must be between 1 and 15 seconds")
  .optional();

function schemas(maxButtons: number) {
  const buttonList = z
    .object({
      buttons: z
        .array(
          z.object({
            id: z.string().optional(),
            label: z.string().refine(notBlank, "label cannot be empty"),
          }),
        )
        .min(1, "buttonList.buttons needs at least 1 button")
        .max(maxButtons, `buttonList.buttons accepts at most ${maxButtons} buttons`),
      image: z.string().optional(),
      video: z.string().optional(),
    })
    .refine(
      (list) => list.image === undefined || list.video === undefined,
      "buttonList takes an image or a video, never both",
    );

  const buttonAction = z
    .object({
      id: z.string().optional(),
      type: z.enum(["REPLY", "CALL", "URL"]),
      label: z.string().refine(notBlank, "label cannot be empty"),
      phone: z.string().optional(),
      url: z.string().optional(),
    })
    .superRefine((action, ctx) => {
      if (action.type === "CALL" && action.phone === undefined) {
        ctx.addIssue({ code: "custom", path: ["phone"], message: "a CALL button needs phone" });
      }
      if (action.type === "URL" && action.url === undefined) {
        ctx.addIssue({ code: "custom", path: ["url"], message: "a URL button needs url" });
      }
    });

  return {
    "send-button-list": z.object({ phone, message, buttonList, delayMessage }),
    "send-button-actions": z.object({
      phone,
      message,
      title: z.string().optional(),
      footer: z.string().optional(),
      buttonActions: z
        .array(buttonAction)
        .min(1, "buttonActions needs at least 1 button")
        .max(maxButtons, `buttonActions accepts at most ${maxButtons} buttons`),
      delayMessage,
    }),
  } as const;
}

function describe(input: unknown, issue: SchemaIssue): string {
  const field = issue.path.length === 0 ? "body" : issue.path.map(String).join(".");
  if (isMissing(input, issue)) return `${field} is required`;
  const ownMessage =
    issue.code === "custom" || issue.code === "too_small" || issue.code === "too_big";
  return ownMessage ? issue.message : `${field}: ${issue.message}`;
}

type SendAction = keyof ReturnType<typeof schemas>;

function isSendAction(action: string): action is SendAction {
  return action === "send-button-list" || action === "send-button-actions";
}

/**
 * The buttons of a send a user can tap: every `buttonList` button, and the `REPLY` ones of
 * `buttonActions` (CALL and URL buttons open a dialler or a page and post no reply). A
 * button sent without `id` gets its position, "1", "2"…: a guess, Z-API documents no default.
 */
function tappable(
  body:
    | { buttonList: { buttons: { id?: string | undefined; label: string }[] } }
    | {
        buttonActions: { id?: string | undefined; type: string; label: string }[];
      },
): SentButton[] {
  const buttons = "buttonList" in body ? body.buttonList.buttons : body.buttonActions;
  return buttons.flatMap((button, index) =>
    "type" in button && button.type !== "REPLY"
      ? []
      : [{ id: button.id ?? String(index + 1), title: button.label }],
  );
}

const INSTANCE_PATH = /^\/instances\/([^/]+)\/token\/([^/]+)\/([^/]+)\/?$/;

export async function startZapiSimulator(
  options: ZapiSimulatorOptions = {},
): Promise<ZapiSimulator> {
  const credentials: ZapiCredentials = {
    instanceId: options.instanceId ?? DEFAULT_ZAPI_CREDENTIALS.instanceId,
    token: options.token ?? DEFAULT_ZAPI_CREDENTIALS.token,
    clientToken: options.clientToken ?? DEFAULT_ZAPI_CREDENTIALS.clientToken,
  };
  const initiallyConnected = options.connected ?? true;
  const requireClientToken = options.requireClientToken ?? true;
  const bodies = schemas(options.maxButtons ?? 3);
  let connected = initiallyConnected;

  const handle = (request: SimulatorRequest): Reply => {
    const match = INSTANCE_PATH.exec(request.path);
    const action = match?.[3];
    if (match === null || action === undefined) return zapiError(404, "Not Found");
    const isSend = isSendAction(action);
    if (!isSend && action !== "status") return zapiError(404, "Not Found");
    const allowed = isSend ? "POST" : "GET";
    if (request.method !== allowed) {
      return { ...zapiError(405, "Method Not Allowed"), headers: { allow: allowed } };
    }

    if (requireClientToken) {
      const clientToken = request.headers["client-token"];
      // Both bodies as reported by Z-API users; the docs show `{"error":"null not allowed"}`
      // for a missing token, i.e. the same template with no value.
      if (clientToken === undefined || clientToken === "") {
        return zapiError(400, "your client-token is not configured");
      }
      if (clientToken !== credentials.clientToken) {
        return zapiError(403, `Client-Token ${clientToken} not allowed`);
      }
    }
    if (match[1] !== credentials.instanceId || match[2] !== credentials.token) {
      return zapiError(404, "Instance not found");
    }

    if (!isSendAction(action)) {
      // Shape documented for GET /status.
      return {
        status: 200,
        body: connected
          ? { connected: true, error: "You are already connected.", smartphoneConnected: true }
          : { connected: false, error: "You are not connected.", smartphoneConnected: false },
      };
    }

    if (mediaType(request) !== "application/json") return zapiError(415, "Unsupported Media Type");
    if (!connected) return zapiError(400, "You are not connected.");
    if (request.json.kind !== "parsed") {
      return zapiError(400, "Bad Request", "The request body must be a JSON object");
    }
    const input = request.json.value;
    const parsed = bodies[action].safeParse(input);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      return zapiError(
        400,
        "Bad Request",
        issue === undefined ? "Invalid body" : describe(input, issue),
      );
    }
    // Lengths as in Z-API's examples: 32-character zaapId, 20-character messageId.
    const messageId = freshHexId(10);
    return {
      status: 200,
      body: { zaapId: freshHexId(16), messageId, id: messageId },
      sent: {
        messageId,
        recipient: parsed.data.phone,
        buttons: tappable(parsed.data),
        sentAt: new Date(),
      },
    };
  };

  // The webhooks read the server's sent messages; the server answers their control routes.
  let sentMessage: (messageId: string) => SentMessage | undefined = () => undefined;
  const webhooks = zapiWebhooks(credentials.instanceId, (id) => sentMessage(id));
  const simulator = await startSimulatorServer(options, credentials, {
    handle,
    injectedError: injectedZapiError,
    reset: () => {
      connected = initiallyConnected;
    },
    control: zapiControl(webhooks),
  });
  sentMessage = simulator.sentMessage;
  return {
    ...simulator,
    get connected() {
      return connected;
    },
    setConnected(value: boolean) {
      connected = value;
    },
    webhooks,
  };
}
