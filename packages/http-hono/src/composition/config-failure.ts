import { redactor } from "@replykit/core";
import { ConfigError } from "../config/load-config.js";

/** Shorter values cannot be told apart from the words of a message, and are left in it. */
const MIN_SCRUBBED_LENGTH = 4;

/**
 * Runs `build` (an adapter or authenticator factory fed from the configuration) and turns
 * whatever it throws into a {@link ConfigError} naming `path`, so that the server stops
 * with one line an operator can act on instead of a raw stack. The factory's message is
 * kept (it says which option and which rule), but every value in `values` found in it is
 * masked first: the factories promise never to quote a credential, and this holds even if
 * one breaks the promise. No `cause`: a printed cause would carry the unmasked message.
 */
export function asConfigError<T>(path: string, values: readonly unknown[], build: () => T): T {
  try {
    return build();
  } catch (error) {
    const message = error instanceof Error ? error.message : "it could not be built";
    throw new ConfigError(
      `invalid replykit configuration:\n  - ${path}: ${scrub(message, values)}`,
    );
  }
}

function scrub(message: string, values: readonly unknown[]): string {
  const secrets = values
    .filter((value): value is string => typeof value === "string")
    .filter((value) => value.trim().length >= MIN_SCRUBBED_LENGTH);
  return redactor(secrets)(message);
}
