export { createZapperChannel, ZAPPER_CAPABILITIES } from "./channel.js";
export { ZAPPER_PROVIDER } from "./errors.js";
export {
  DEFAULT_ZAPPER_BASE_URL,
  DEFAULT_ZAPPER_TIMEOUT_MS,
  type ZapperChannelOptions,
  type ZapperExpiration,
} from "./options.js";
export {
  toJid,
  toZapperButtonsRequest,
  type ZapperButtonsRequest,
  type ZapperReplyButton,
} from "./wire.js";
