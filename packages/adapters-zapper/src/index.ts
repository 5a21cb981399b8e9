export { readAnswer, ZAPPER_PROVIDER } from "./answer.js";
export {
  createZapperChannel,
  ZAPPER_CAPABILITIES,
  type ZapperChannelOptions,
  zapperDriver,
} from "./driver.js";
export { parseZapperWebhook, zapperInbound } from "./inbound.js";
export {
  DEFAULT_ZAPPER_BASE_URL,
  DEFAULT_ZAPPER_TIMEOUT_MS,
  MIN_WEBHOOK_SECRET_LENGTH,
  optionsSchema,
  type ResolvedZapperOptions,
  type ZapperExpiration,
  type ZapperOptions,
} from "./options.js";
export {
  toRecipient,
  toRequestBody,
  type ZapperButtonsRequest,
  type ZapperReplyButton,
} from "./wire.js";
