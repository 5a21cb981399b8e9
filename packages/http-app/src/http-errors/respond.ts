import type { Context, Input } from "hono";
import type { AppEnv } from "../routes/app-env.js";
import { completeJson } from "./complete-response.js";
import type { HttpError } from "./http-error.js";

/**
 * `response`, typed as what `answer` (never called) would return: an answer built by
 * {@link completeJson} keeps the type `c.json` gives routes and typed clients.
 */
export const typedAs = <R>(_answer: () => R, response: Response): R => response as R;

/** Sends an {@link HttpError} as JSON and notes its code for the request log. */
export function respondWithError<P extends string, I extends Input>(
  c: Context<AppEnv, P, I>,
  error: HttpError,
) {
  c.set("errorCode", error.envelope.error.code);
  return typedAs(
    () => c.json(error.envelope, error.status, error.headers),
    completeJson(c as Context<AppEnv>, error.envelope, error.status, error.headers),
  );
}
