import type { Principal } from "@replykit/core";
import type { HeaderReader } from "./native-request.js";

/** The Hono environment of the app: what the middleware leaves for the handlers. */
export interface AppEnv {
  Variables: {
    /** Set first, for every request: the caller's sane `X-Request-Id` or a fresh UUID. */
    requestId: string;
    /** Set first when the runtime reads headers itself (see `requestHeader`). */
    headerReader: HeaderReader | undefined;
    /** The token from `Authorization: Bearer <token>`. */
    bearerToken: string;
    /** Whom the bearer token stands for, once `authenticateCaller` has checked it. */
    principal: Principal;
    /** The envelope `code` of an error answer, for the request log. */
    errorCode: string | undefined;
    /** What the handler adds to the request's `http.request` line, e.g. the message's ids. */
    logFields: Readonly<Record<string, string>> | undefined;
  };
}
