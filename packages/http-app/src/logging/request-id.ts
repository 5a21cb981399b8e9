export const REQUEST_ID_HEADER = "X-Request-Id";

/** What a caller's request id may look like for us to reuse it in headers and logs. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:=-]{1,128}$/;

export const isSaneRequestId = (value: string | undefined): value is string =>
  value !== undefined && SANE_REQUEST_ID.test(value);
