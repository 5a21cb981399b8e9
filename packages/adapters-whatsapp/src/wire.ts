import type { ButtonMessage } from "@replykit/core";
import { phoneDigits } from "@replykit/http-transport";

/** The JSON body of a Cloud API interactive reply-button send (providers/README.md). */
export interface WhatsAppButtonRequest {
  readonly messaging_product: "whatsapp";
  readonly recipient_type: "individual";
  readonly to: string;
  readonly type: "interactive";
  readonly interactive: {
    readonly type: "button";
    readonly header?: { readonly type: "text"; readonly text: string };
    readonly body: { readonly text: string };
    readonly footer?: { readonly text: string };
    readonly action: {
      readonly buttons: readonly {
        readonly type: "reply";
        readonly reply: { readonly id: string; readonly title: string };
      }[];
    };
  };
}

/**
 * The `to` Meta expects: the number with its country code, digits only. A recipient written
 * as a phone number (`+55 (11) 99999-9999`) becomes its digits, by the rule every replykit
 * adapter shares ({@link phoneDigits}). Anything else is sent as given, so Meta, not a guess
 * here, judges a recipient that is not a phone number.
 */
export function toRecipient(recipient: string): string {
  return phoneDigits(recipient) ?? recipient;
}

/**
 * Maps a message to Meta's wire format. Header and footer are optional there and appear
 * only when the message has them; every text is sent exactly as given.
 */
export function toRequestBody(recipient: string, message: ButtonMessage): WhatsAppButtonRequest {
  return {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: toRecipient(recipient),
    type: "interactive",
    interactive: {
      type: "button",
      ...(message.header === undefined ? {} : { header: { type: "text", text: message.header } }),
      body: { text: message.body },
      ...(message.footer === undefined ? {} : { footer: { text: message.footer } }),
      action: {
        buttons: message.buttons.map(({ id, title }) => ({ type: "reply", reply: { id, title } })),
      },
    },
  };
}
