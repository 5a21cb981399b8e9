export { fetchTransport } from "./fetch-transport.js";
export { type JsonAnswer, type JsonPost, postJson } from "./post-json.js";
export { parseRetryAfter } from "./retry-after.js";
export { type ErrorDetails, errorFromStatus, unexpectedAnswer } from "./status.js";
export type { HttpRequest, HttpResponse, HttpTransport } from "./transport.js";
