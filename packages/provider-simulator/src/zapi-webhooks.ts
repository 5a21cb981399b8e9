import type { SentMessage } from "./http-server.js";
import { freshHexId } from "./ids.js";
import {
  postWebhook,
  redeliverWebhook,
  resolveRecipient,
  resolveTap,
  type WebhookDelivery,
  WebhookInputError,
  type WebhookTarget,
} from "./webhooks.js";

// Z-API's webhooks (see /work/shared/providers/INBOUND.md): "on message received"
// (`ReceivedCallback`, a tap carries `buttonsResponseMessage`), "message status"
// (`MessageStatusCallback`) and "on send" (`DeliveryCallback`). Z-API signs nothing and
// sends no secret header: a receiver protects its URL with a secret path segment, which the
// caller puts in `url`.

/** The number of the simulated instance, `connectedPhone` in callbacks. */
export const DEFAULT_ZAPI_CONNECTED_PHONE = "5511900000001";

export interface ZapiTapInput extends WebhookTarget {
  /** The `messageId` of the message whose button is tapped (`referenceMessageId`). */
  readonly messageId: string;
  readonly buttonId: string;
  /** `buttonsResponseMessage.message`. Default: the label the message was sent with. */
  readonly buttonTitle?: string;
  /** Who taps (`phone`). Default: the message's recipient. */
  readonly from?: string;
  /** `senderName` and `chatName`. Default "Simulated User". */
  readonly senderName?: string;
  /** The tap's own `messageId`. Default: a fresh one. */
  readonly tapId?: string;
  /** `momment`. Default: now. */
  readonly at?: Date;
}

/**
 * The statuses Z-API reports: `SENT`, `RECEIVED` (delivered), `READ`, `PLAYED`. There is no
 * failure status in Z-API: `status()` refuses `"failed"`.
 */
export type ZapiWebhookStatus = "sent" | "delivered" | "read" | "played";

const STATUS: Readonly<Record<ZapiWebhookStatus, string>> = {
  sent: "SENT",
  delivered: "RECEIVED",
  read: "READ",
  played: "PLAYED",
};

export interface ZapiStatusInput extends WebhookTarget {
  /** The message the status is about; several ids make one callback (`ids`), as Z-API batches. */
  readonly messageId: string | readonly string[];
  readonly status: ZapiWebhookStatus;
  /** `phone`. Default: the (first) message's recipient. */
  readonly phone?: string;
  /** `momment`. Default: now. */
  readonly at?: Date;
}

export interface ZapiDeliveryInput extends WebhookTarget {
  /** The message Z-API handed to WhatsApp. */
  readonly messageId: string;
  /** `phone`. Default: the message's recipient. */
  readonly phone?: string;
  /** `zaapId`. Default: a fresh one. */
  readonly zaapId?: string;
  /** `momment`. Default: now. */
  readonly at?: Date;
}

export interface ZapiPostInput extends WebhookTarget {
  /** Any body: a string is sent as it is, anything else as JSON. */
  readonly body: unknown;
}

/** Z-API's webhooks, posted by a Z-API simulator. */
export interface ZapiWebhooks {
  /** A user taps `buttonId` on message `messageId`: a `ReceivedCallback`. */
  tap(input: ZapiTapInput): Promise<WebhookDelivery>;
  /**
   * A `MessageStatusCallback`. Rejects for `"failed"`: Z-API has no failure status (a
   * message that cannot be sent is reported, if at all, by its "on send" callback).
   */
  status(input: ZapiStatusInput): Promise<WebhookDelivery>;
  /** "On send": Z-API handed the message to WhatsApp (`accepted`, not delivered). */
  delivery(input: ZapiDeliveryInput): Promise<WebhookDelivery>;
  /** Posts any body, as Z-API would (no signature). */
  post(input: ZapiPostInput): Promise<WebhookDelivery>;
  /** The identical bytes again. */
  redeliver(delivery: WebhookDelivery): Promise<WebhookDelivery>;
}

export function zapiWebhooks(
  instanceId: string,
  sentMessage: (messageId: string) => SentMessage | undefined,
): ZapiWebhooks {
  const post = (input: ZapiPostInput): Promise<WebhookDelivery> => {
    const rawBody = typeof input.body === "string" ? input.body : JSON.stringify(input.body);
    return postWebhook(input, { "content-type": "application/json" }, rawBody, input.body);
  };

  return {
    async tap(input) {
      const { from, buttonTitle } = resolveTap("Z-API", sentMessage(input.messageId), input);
      const name = input.senderName ?? "Simulated User";
      const body = {
        isStatusReply: false,
        connectedPhone: DEFAULT_ZAPI_CONNECTED_PHONE,
        waitingMessage: false,
        isEdit: false,
        isGroup: from.endsWith("-group"),
        isNewsletter: false,
        instanceId,
        messageId: input.tapId ?? freshHexId(16),
        phone: from,
        fromMe: false,
        momment: (input.at ?? new Date()).getTime(),
        status: "RECEIVED",
        chatName: name,
        senderPhoto: null,
        senderName: name,
        participantPhone: null,
        photo: null,
        broadcast: false,
        referenceMessageId: input.messageId,
        forwarded: false,
        type: "ReceivedCallback",
        fromApi: false,
        buttonsResponseMessage: { buttonId: input.buttonId, message: buttonTitle },
      };
      return post({ ...input, body });
    },

    async status(input) {
      if (!Object.hasOwn(STATUS, input.status)) {
        throw new WebhookInputError(
          (input.status as string) === "failed"
            ? 'Z-API simulator: Z-API has no failure status (MessageStatusCallback is SENT, RECEIVED, READ, READ_BY_ME or PLAYED), so "failed" cannot be simulated'
            : `Z-API simulator: unknown status ${JSON.stringify(input.status)}`,
        );
      }
      const ids = typeof input.messageId === "string" ? [input.messageId] : [...input.messageId];
      const first = ids[0];
      if (first === undefined)
        throw new WebhookInputError("Z-API simulator: a status needs a message id");
      const phone = resolveRecipient("Z-API", sentMessage(first), first, input.phone);
      const body = {
        instanceId,
        status: STATUS[input.status],
        ids,
        momment: (input.at ?? new Date()).getTime(),
        phoneDevice: 0,
        phone,
        type: "MessageStatusCallback",
        isGroup: phone.endsWith("-group"),
      };
      return post({ ...input, body });
    },

    async delivery(input) {
      const phone = resolveRecipient(
        "Z-API",
        sentMessage(input.messageId),
        input.messageId,
        input.phone,
      );
      const body = {
        phone,
        zaapId: input.zaapId ?? freshHexId(16),
        messageId: input.messageId,
        type: "DeliveryCallback",
        instanceId,
        momment: (input.at ?? new Date()).getTime(),
      };
      return post({ ...input, body });
    },

    post,
    redeliver: (delivery) => redeliverWebhook(delivery),
  };
}
