import { createHmac } from "node:crypto";
import type { SentMessage } from "./http-server.js";
import { freshWamid } from "./ids.js";
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

// Meta's webhooks for a WhatsApp Cloud API number (see /work/shared/providers/INBOUND.md):
// `{ object: "whatsapp_business_account", entry: [{ id, changes: [{ field: "messages",
// value }] }] }`, signed with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(raw body,
// app secret)>`.

/** The business number's display form in `metadata` and in a tap's `context.from`. */
export const DEFAULT_WHATSAPP_DISPLAY_PHONE_NUMBER = "15550000001";
/** The WhatsApp Business Account id, `entry[].id`. */
export const DEFAULT_WHATSAPP_BUSINESS_ACCOUNT_ID = "100000000000002";

interface Signed {
  /** The Meta app's secret: the key of `X-Hub-Signature-256`. */
  readonly appSecret: string;
  /** `entry[].id`. Default `DEFAULT_WHATSAPP_BUSINESS_ACCOUNT_ID`. */
  readonly businessAccountId?: string;
  /** `metadata.display_phone_number`. Default `DEFAULT_WHATSAPP_DISPLAY_PHONE_NUMBER`. */
  readonly displayPhoneNumber?: string;
}

export interface WhatsAppTapInput extends WebhookTarget, Signed {
  /** The wamid of the message whose button is tapped (its send's `messages[0].id`). */
  readonly messageId: string;
  readonly buttonId: string;
  /** Default: the title the message was sent with. */
  readonly buttonTitle?: string;
  /** Who taps (`from`, `contacts[0].wa_id`). Default: the message's recipient. */
  readonly from?: string;
  /** `contacts[0].profile.name`. Default "Simulated User". */
  readonly profileName?: string;
  /**
   * `"button_reply"` (default): an interactive reply button, `type: "interactive"`.
   * `"template"`: a template quick-reply button, `type: "button"`, `button: { payload, text }`
   * (how Meta reports taps on buttons sent as templates, "Direct Send" included).
   */
  readonly shape?: "button_reply" | "template";
  /** The tap's wamid. Default: a fresh one. */
  readonly tapId?: string;
  /** Default: now. */
  readonly at?: Date;
}

export type WhatsAppWebhookStatus = "sent" | "delivered" | "read" | "failed";

export interface WhatsAppStatusError {
  readonly code: number;
  readonly title: string;
  readonly message?: string;
  readonly details?: string;
}

export interface WhatsAppStatusInput extends WebhookTarget, Signed {
  /** The wamid of the message the status is about. */
  readonly messageId: string;
  readonly status: WhatsAppWebhookStatus;
  /** `recipient_id`. Default: the message's recipient. */
  readonly recipientId?: string;
  /**
   * For `failed`: `errors[0]`. Default 131026 "Message undeliverable". Refused with any
   * other status.
   */
  readonly error?: WhatsAppStatusError;
  /** Default: now. */
  readonly at?: Date;
}

export interface WhatsAppPostInput extends WebhookTarget {
  readonly appSecret: string;
  /** Any body: a string is sent as it is, anything else as JSON. */
  readonly body: unknown;
}

/** Meta's webhooks, posted by a WhatsApp simulator. */
export interface WhatsAppWebhooks {
  /** A user taps `buttonId` on message `messageId`. */
  tap(input: WhatsAppTapInput): Promise<WebhookDelivery>;
  /** Message `messageId` is now sent, delivered, read or failed. */
  status(input: WhatsAppStatusInput): Promise<WebhookDelivery>;
  /** Signs and posts any body (several items, odd shapes), as Meta would. */
  post(input: WhatsAppPostInput): Promise<WebhookDelivery>;
  /** The identical bytes and headers again, as Meta redelivers. */
  redeliver(delivery: WebhookDelivery): Promise<WebhookDelivery>;
}

/** `sha256=<hex HMAC-SHA256 of the raw body bytes under the app secret>`. */
export function metaSignature(appSecret: string, rawBody: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody, "utf8").digest("hex")}`;
}

const DEFAULT_FAILURE: WhatsAppStatusError = {
  code: 131026,
  title: "Message undeliverable",
  message: "Message undeliverable",
  details: "Message failed to send because the recipient could not be reached (simulated).",
};

export function whatsappWebhooks(
  phoneNumberId: string,
  sentMessage: (messageId: string) => SentMessage | undefined,
): WhatsAppWebhooks {
  const envelope = (input: Signed, value: Record<string, unknown>) => ({
    object: "whatsapp_business_account",
    entry: [
      {
        id: input.businessAccountId ?? DEFAULT_WHATSAPP_BUSINESS_ACCOUNT_ID,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number:
                  input.displayPhoneNumber ?? DEFAULT_WHATSAPP_DISPLAY_PHONE_NUMBER,
                phone_number_id: phoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  });

  const post = (input: WhatsAppPostInput): Promise<WebhookDelivery> => {
    const rawBody = typeof input.body === "string" ? input.body : JSON.stringify(input.body);
    return postWebhook(
      input,
      {
        "content-type": "application/json",
        "user-agent": "facebookexternalua",
        "x-hub-signature-256": metaSignature(input.appSecret, rawBody),
      },
      rawBody,
      input.body,
    );
  };

  return {
    async tap(input) {
      const { from, buttonTitle } = resolveTap("WhatsApp", sentMessage(input.messageId), input);
      const at = input.at ?? new Date();
      const context = {
        from: input.displayPhoneNumber ?? DEFAULT_WHATSAPP_DISPLAY_PHONE_NUMBER,
        id: input.messageId,
      };
      const reply =
        input.shape === "template"
          ? { type: "button", button: { payload: input.buttonId, text: buttonTitle } }
          : {
              type: "interactive",
              interactive: {
                type: "button_reply",
                button_reply: { id: input.buttonId, title: buttonTitle },
              },
            };
      const body = envelope(input, {
        contacts: [{ profile: { name: input.profileName ?? "Simulated User" }, wa_id: from }],
        messages: [
          {
            context,
            from,
            id: input.tapId ?? freshWamid(),
            timestamp: String(epochSeconds(at)),
            ...reply,
          },
        ],
      });
      return post({ ...input, body });
    },

    async status(input) {
      if (input.error !== undefined && input.status !== "failed") {
        throw new WebhookInputError(
          `WhatsApp simulator: an error goes with "failed", not "${input.status}"`,
        );
      }
      const recipientId = resolveRecipient(
        "WhatsApp",
        sentMessage(input.messageId),
        input.messageId,
        input.recipientId,
      );
      const at = input.at ?? new Date();
      const error = input.status === "failed" ? (input.error ?? DEFAULT_FAILURE) : undefined;
      const body = envelope(input, {
        statuses: [
          {
            id: input.messageId,
            status: input.status,
            timestamp: String(epochSeconds(at)),
            recipient_id: recipientId,
            ...(error === undefined
              ? {}
              : {
                  errors: [
                    {
                      code: error.code,
                      title: error.title,
                      message: error.message ?? error.title,
                      error_data: { details: error.details ?? error.title },
                    },
                  ],
                }),
          },
        ],
      });
      return post({ ...input, body });
    },

    post,
    redeliver: (delivery) => redeliverWebhook(delivery),
  };
}
