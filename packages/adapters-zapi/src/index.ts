export { readAnswer, ZAPI_PROVIDER } from "./answer.js";
export {
  capabilitiesOf,
  createZapiChannel,
  type ZapiChannelOptions,
  zapiDriver,
} from "./driver.js";
export { parseZapiWebhook, zapiInbound } from "./inbound.js";
export {
  DEFAULT_ZAPI_BASE_URL,
  DEFAULT_ZAPI_TIMEOUT_MS,
  MIN_WEBHOOK_SECRET_LENGTH,
  optionsSchema,
  type ResolvedZapiOptions,
  type ZapiEndpoint,
  type ZapiOptions,
} from "./options.js";
export {
  toRecipient,
  toRequestBody,
  type ZapiButtonActionsRequest,
  type ZapiButtonListRequest,
  type ZapiReplyAction,
  type ZapiSendRequest,
  type ZapiWireOptions,
} from "./wire.js";
