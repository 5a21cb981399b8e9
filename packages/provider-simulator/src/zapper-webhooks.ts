import type { SentMessage } from "./http-server.js";
import { freshHexId } from "./ids.js";
import {
  epochSeconds,
  postWebhook,
  redeliverWebhook,
  resolveRecipient,
  resolveTap,
  type WebhookDelivery,
  WebhookInputError,
  type WebhookTarget,
} from "./webhooks.js";

// ZapperAPI's webhooks (see /work/shared/providers/INBOUND.md): Baileys events,
// `messages.upsert` for a message received (a tap) and `messages.update` for a status, as
// `{ type, instanceId, key: { remoteJid, fromMe, id }, … }`. The tap and status shapes are
// inferred, not documented. Authenticated with `Authorization: Bearer <secretKey>` (legacy
// `POST /webhook`, confirmed) or, for the newer subscriptions, possibly a secret in the URL
// path (unconfirmed): give `secret` for the first, put it in `url` for the second.

interface Authenticated {
  /** Sent as `Authorization: Bearer <secret>`; leave it out when the secret is in `url`. */
  readonly secret?: string;
}

/** Which of the tap shapes a `messages.upsert` carries. */
export type ZapperTapShape =
  /** `interactiveResponseMessage.nativeFlowResponseMessage.paramsJson` (quick_reply buttons). */
  | "native_flow"
  /** Legacy `buttonsResponseMessage.selectedButtonId`. */
  | "buttons_response"
  /** `templateButtonReplyMessage.selectedId`. */
  | "template_button_reply";

export interface ZapperTapInput extends WebhookTarget, Authenticated {
  /** The `key.id` of the message whose button is tapped (`contextInfo.stanzaId`). */
  readonly messageId: string;
  readonly buttonId: string;
  /** The button's text in the reply. Default: the `displayText` it was sent with. */
  readonly buttonTitle?: string;
  /** Who taps (`key.remoteJid`): a JID, or digits made into `<digits>@s.whatsapp.net`. Default: the message's recipient. */
  readonly from?: string;
  /** `pushName`. Default "Simulated User". */
  readonly pushName?: string;
  /** Default `"native_flow"`, what ZapperAPI's quick_reply buttons answer with. */
  readonly shape?: ZapperTapShape;
  /** The tap's `key.id`. Default: a fresh one. */
  readonly tapId?: string;
  /** `messageTimestamp`. Default: now. */
  readonly at?: Date;
}

export type ZapperWebhookStatus = "failed" | "sent" | "delivered" | "read" | "played";

/** Baileys' `proto.WebMessageInfo.Status`: 0 error, 1 pending, 2 server ack, 3 delivered, 4 read, 5 played. */
const STATUS: Readonly<Record<ZapperWebhookStatus, number>> = {
  failed: 0,
  sent: 2,
  delivered: 3,
  read: 4,
  played: 5,
};

export interface ZapperStatusInput extends WebhookTarget, Authenticated {
  /** The `key.id` of the message the status is about. */
  readonly messageId: string;
  readonly status: ZapperWebhookStatus;
  /** `key.remoteJid`. Default: the message's recipient. */
  readonly to?: string;
}

export interface ZapperPostInput extends WebhookTarget, Authenticated {
  /** Any body: a string is sent as it is, anything else as JSON. */
  readonly body: unknown;
}

/** ZapperAPI's webhooks, posted by a ZapperAPI simulator. */
export interface ZapperWebhooks {
  /** A user taps `buttonId` on message `messageId`: a `messages.upsert`. */
  tap(input: ZapperTapInput): Promise<WebhookDelivery>;
  /** A `messages.update` with Baileys' numeric status (`failed` is 0, ERROR). */
  status(input: ZapperStatusInput): Promise<WebhookDelivery>;
  /** Posts any body, as ZapperAPI would. */
  post(input: ZapperPostInput): Promise<WebhookDelivery>;
  /** The identical bytes and headers again. */
  redeliver(delivery: WebhookDelivery): Promise<WebhookDelivery>;
}

const toJid = (value: string): string =>
  value.includes("@") ? value : `${value.replace(/\D/g, "")}@s.whatsapp.net`;

export function zapperWebhooks(
  instanceId: string,
  sentMessage: (messageId: string) => SentMessage | undefined,
): ZapperWebhooks {
  const post = (input: ZapperPostInput): Promise<WebhookDelivery> => {
    const rawBody = typeof input.body === "string" ? input.body : JSON.stringify(input.body);
    return postWebhook(
      input,
      {
        "content-type": "application/json",
        ...(input.secret === undefined ? {} : { authorization: `Bearer ${input.secret}` }),
      },
      rawBody,
      input.body,
    );
  };

  return {
    async tap(input) {
      const { from, buttonTitle } = resolveTap("ZapperAPI", sentMessage(input.messageId), input);
      const contextInfo = { stanzaId: input.messageId };
      const message =
        input.shape === "buttons_response"
          ? {
              buttonsResponseMessage: {
                selectedButtonId: input.buttonId,
                selectedDisplayText: buttonTitle,
                type: 1, // DISPLAY_TEXT
                contextInfo,
              },
            }
          : input.shape === "template_button_reply"
            ? {
                templateButtonReplyMessage: {
                  selectedId: input.buttonId,
                  selectedDisplayText: buttonTitle,
                  selectedIndex: 0,
                  contextInfo,
                },
              }
            : {
                interactiveResponseMessage: {
                  body: { text: buttonTitle, format: "DEFAULT" },
                  nativeFlowResponseMessage: {
                    name: "quick_reply",
                    paramsJson: JSON.stringify({ id: input.buttonId }),
                    version: 3,
                  },
                  contextInfo,
                },
              };
      const body = {
        type: "messages.upsert",
        instanceId,
        key: { remoteJid: toJid(from), fromMe: false, id: input.tapId ?? `3EB0${freshHexId(9)}` },
        pushName: input.pushName ?? "Simulated User",
        messageTimestamp: epochSeconds(input.at ?? new Date()),
        message,
      };
      return post({ ...input, body });
    },

    async status(input) {
      if (!Object.hasOwn(STATUS, input.status)) {
        throw new WebhookInputError(
          `ZapperAPI simulator: unknown status ${JSON.stringify(input.status)}`,
        );
      }
      const to = resolveRecipient(
        "ZapperAPI",
        sentMessage(input.messageId),
        input.messageId,
        input.to,
      );
      const body = {
        type: "messages.update",
        instanceId,
        key: { remoteJid: toJid(to), fromMe: true, id: input.messageId },
        update: { status: STATUS[input.status] },
      };
      return post({ ...input, body });
    },

    post,
    redeliver: (delivery) => redeliverWebhook(delivery),
  };
}
