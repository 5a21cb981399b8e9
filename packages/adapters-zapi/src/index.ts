export { createZapiChannel, zapiCapabilities } from "./channel.js";
export { interpretZapiAnswer, ZAPI_PROVIDER } from "./errors.js";
export {
  DEFAULT_ZAPI_BASE_URL,
  DEFAULT_ZAPI_TIMEOUT_MS,
  type ZapiChannelOptions,
  type ZapiEndpoint,
} from "./options.js";
export {
  toZapiPhone,
  toZapiRequest,
  type ZapiButtonActionsRequest,
  type ZapiButtonListRequest,
  type ZapiReplyAction,
  type ZapiSendRequest,
  type ZapiWireOptions,
} from "./wire.js";
