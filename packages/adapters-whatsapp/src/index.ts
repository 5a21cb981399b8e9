export { createWhatsAppChannel, WHATSAPP_CAPABILITIES } from "./channel.js";
export { WHATSAPP_PROVIDER } from "./errors.js";
export {
  DEFAULT_WHATSAPP_API_VERSION,
  DEFAULT_WHATSAPP_BASE_URL,
  DEFAULT_WHATSAPP_TIMEOUT_MS,
  type WhatsAppChannelOptions,
} from "./options.js";
export { toWhatsAppRecipient, toWhatsAppRequest, type WhatsAppButtonRequest } from "./wire.js";
