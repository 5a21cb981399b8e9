import { z } from "zod";
import type { Reply } from "./http-server.js";
import { redeliverWebhook, type WebhookDelivery, WebhookInputError } from "./webhooks.js";
import type { WhatsAppWebhooks } from "./whatsapp-webhooks.js";
import type { ZapiWebhookStatus, ZapiWebhooks } from "./zapi-webhooks.js";
import type { ZapperWebhooks } from "./zapper-webhooks.js";

// The webhooks over HTTP, for a simulator running in another process (the CLI, the demo):
// `POST <baseUrl>/_simulator/webhooks/<action>` with the call's input as JSON (`at` as an
// ISO 8601 string) answers the `WebhookDelivery` as JSON. Loopback test tooling: it posts
// wherever it is told to, so it must never listen on a public interface.

/** Where the control routes live on every simulator. */
export const CONTROL_PREFIX = "/_simulator/webhooks/";

/** Runs one control action on its JSON input. */
export type WebhookControl = (action: string, input: unknown) => Promise<Reply>;

type Defined<T> = { [K in keyof T]: Exclude<T[K], undefined> };

/** Leaves out the keys whose value is `undefined` (zod's optional output has them). */
function defined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Defined<T>;
}

const text = z.string().min(1);
const target = {
  url: z.url({ protocol: /^https?$/ }),
  timeoutMs: z.number().int().positive().max(120_000).optional(),
};
const at = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .optional();
const tap = {
  ...target,
  messageId: text,
  buttonId: text,
  buttonTitle: text.optional(),
  from: text.optional(),
  tapId: text.optional(),
  at,
};
const meta = {
  appSecret: text,
  businessAccountId: text.optional(),
  displayPhoneNumber: text.optional(),
};
const zapperSecret = { secret: text.optional() };

const redeliver = z.object({
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()),
  rawBody: z.string(),
  body: z.unknown().optional(),
  timeoutMs: target.timeoutMs,
});

type Action = (input: unknown) => Promise<WebhookDelivery>;

function control(actions: Readonly<Record<string, Action>>): WebhookControl {
  const all: Record<string, Action> = {
    ...actions,
    redeliver: (input) => {
      const { timeoutMs, ...delivery } = redeliver.parse(input);
      return redeliverWebhook(
        { ...delivery, body: delivery.body, status: 0, responseBody: "" },
        timeoutMs === undefined ? {} : { timeoutMs },
      );
    },
  };
  return async (name, input) => {
    const action = Object.hasOwn(all, name) ? all[name] : undefined;
    if (action === undefined) {
      return {
        status: 404,
        body: { error: `no webhook action "${name}"`, actions: Object.keys(all) },
      };
    }
    try {
      return { status: 200, body: await action(input) };
    } catch (error) {
      if (error instanceof z.ZodError) {
        return {
          status: 400,
          body: { error: "invalid input", issues: z.treeifyError(error) },
        };
      }
      if (error instanceof WebhookInputError)
        return { status: 400, body: { error: error.message } };
      // Built and posted, but no answer came: the receiver is down, slow or reset.
      const reason = error instanceof Error ? error.name : String(error);
      return { status: 502, body: { error: `the receiver did not answer (${reason})` } };
    }
  };
}

export function whatsappControl(webhooks: WhatsAppWebhooks): WebhookControl {
  const tapInput = z.object({
    ...tap,
    ...meta,
    profileName: z.string().optional(),
    shape: z.enum(["button_reply", "template"]).optional(),
  });
  const statusInput = z.object({
    ...target,
    ...meta,
    messageId: text,
    status: z.enum(["sent", "delivered", "read", "failed"]),
    recipientId: text.optional(),
    error: z
      .object({
        code: z.number().int(),
        title: text,
        message: z.string().optional(),
        details: z.string().optional(),
      })
      .transform(defined)
      .optional(),
    at,
  });
  const postInput = z.object({ ...target, appSecret: text, body: z.unknown() });
  return control({
    tap: (input) => webhooks.tap(defined(tapInput.parse(input))),
    status: (input) => webhooks.status(defined(statusInput.parse(input))),
    post: (input) => webhooks.post(defined(postInput.parse(input))),
  });
}

export function zapiControl(webhooks: ZapiWebhooks): WebhookControl {
  const tapInput = z.object({ ...tap, senderName: z.string().optional() });
  const statusInput = z.object({
    ...target,
    messageId: z.union([text, z.array(text).min(1)]),
    // Any string: `status()` itself explains why "failed" cannot be.
    status: text.transform((value) => value as ZapiWebhookStatus),
    phone: text.optional(),
    at,
  });
  const deliveryInput = z.object({
    ...target,
    messageId: text,
    phone: text.optional(),
    zaapId: text.optional(),
    at,
  });
  const postInput = z.object({ ...target, body: z.unknown() });
  return control({
    tap: (input) => webhooks.tap(defined(tapInput.parse(input))),
    status: (input) => webhooks.status(defined(statusInput.parse(input))),
    delivery: (input) => webhooks.delivery(defined(deliveryInput.parse(input))),
    post: (input) => webhooks.post(defined(postInput.parse(input))),
  });
}

export function zapperControl(webhooks: ZapperWebhooks): WebhookControl {
  const tapInput = z.object({
    ...tap,
    ...zapperSecret,
    pushName: z.string().optional(),
    shape: z.enum(["native_flow", "buttons_response", "template_button_reply"]).optional(),
  });
  const statusInput = z.object({
    ...target,
    ...zapperSecret,
    messageId: text,
    status: z.enum(["failed", "sent", "delivered", "read", "played"]),
    to: text.optional(),
  });
  const postInput = z.object({ ...target, ...zapperSecret, body: z.unknown() });
  return control({
    tap: (input) => webhooks.tap(defined(tapInput.parse(input))),
    status: (input) => webhooks.status(defined(statusInput.parse(input))),
    post: (input) => webhooks.post(defined(postInput.parse(input))),
  });
}
