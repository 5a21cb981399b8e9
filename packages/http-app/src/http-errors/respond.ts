import type { Context, Input } from "hono";
import type { AppEnv } from "../routes/app-env.js";
import type { HttpError } from "./http-error.js";

/** Sends an {@link HttpError} as JSON and notes its code for the request log. */
export function respondWithError<P extends string, I extends Input>(
  c: Context<AppEnv, P, I>,
  error: HttpError,
) {
  c.set("errorCode", error.envelope.error.code);
  return c.json(error.envelope, error.status, error.headers);
}
