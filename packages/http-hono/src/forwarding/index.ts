export {
  importSigningKey,
  SECRET_PREFIX,
  type SignedContent,
  signWebhook,
  webhookSigningKey,
} from "./standard-webhooks.js";
export {
  createWebhookForwarder,
  type FetchLike,
  type ForwardedEventType,
  type ForwardedWebhookBody,
  ForwarderClosedError,
  forwardedEventType,
  OutboxFullError,
  type WebhookForwarder,
  type WebhookForwarderOptions,
  webhookId,
} from "./webhook-forwarder.js";
