/** The Hono environment of the app: what the middleware leaves for the handlers. */
export interface AppEnv {
  Variables: {
    /** Set first, for every request: the caller's sane `X-Request-Id` or a fresh UUID. */
    requestId: string;
    /** The token from `Authorization: Bearer <token>`; checked by the use case, not here. */
    bearerToken: string;
    /** The request body as parsed JSON, before validation (to tell missing from mistyped). */
    jsonBody: unknown;
    /** The envelope `code` of an error answer, for the request log. */
    errorCode: string | undefined;
  };
}
