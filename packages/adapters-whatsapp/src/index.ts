export { readAnswer, WHATSAPP_PROVIDER } from "./answer.js";
export {
  createWhatsAppChannel,
  WHATSAPP_CAPABILITIES,
  type WhatsAppChannelOptions,
  whatsappDriver,
} from "./driver.js";
export {
  answerWhatsAppHandshake,
  parseWhatsAppWebhook,
  verifyWhatsAppSignature,
  WHATSAPP_SIGNATURE_HEADER,
  whatsappInbound,
} from "./inbound.js";
export {
  DEFAULT_WHATSAPP_API_VERSION,
  DEFAULT_WHATSAPP_BASE_URL,
  DEFAULT_WHATSAPP_TIMEOUT_MS,
  optionsSchema,
  type ResolvedWhatsAppOptions,
  type WhatsAppOptions,
} from "./options.js";
export { toRecipient, toRequestBody, type WhatsAppButtonRequest } from "./wire.js";
