import type { Logger } from "@replykit/core";
import type { Hono } from "hono";
import type { AppEnv } from "./app-env.js";

export const HEALTH_PATH = "/healthz";
export const READINESS_PATH = "/readyz";

/** How long `/readyz` waits for the readiness check before answering 503. */
export const READINESS_TIMEOUT_MS = 2_000;

export interface HealthDeps {
  /**
   * Whether the server can serve: resolves when its stores and configuration are usable,
   * rejects (or takes longer than 2 s) when not. Default: always ready.
   */
  readonly readiness?: (() => Promise<void>) | undefined;
  /** Once aborted, `/readyz` answers 503, so that a load balancer stops sending. */
  readonly shutdownSignal?: AbortSignal | undefined;
  readonly logger: Logger;
}

/**
 * `GET /healthz` (the process answers) and `GET /readyz` (it can serve: not shutting down,
 * its readiness check passed), for load balancers and orchestrators. No authentication, no
 * body read, no access-log line for a success (probes come every few seconds); a failed
 * readiness check is logged with its reason, and the answer never says more than
 * `not_ready`.
 */
export function mountHealth(app: Hono<AppEnv>, deps: HealthDeps): void {
  app.get(HEALTH_PATH, (c) => c.json({ status: "ok" }, 200));
  app.get(READINESS_PATH, async (c) => {
    if (deps.shutdownSignal?.aborted === true) return c.json({ status: "shutting_down" }, 503);
    const reason = await failureOf(deps.readiness);
    if (reason === undefined) return c.json({ status: "ready" }, 200);
    deps.logger.log("warn", "http.not_ready", { requestId: c.get("requestId"), reason });
    return c.json({ status: "not_ready" }, 503);
  });
}

/** Why the check failed, or `undefined` if it passed in time. */
async function failureOf(readiness: HealthDeps["readiness"]): Promise<string | undefined> {
  if (readiness === undefined) return undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(
      () => resolve(`readiness check took over ${READINESS_TIMEOUT_MS} ms`),
      READINESS_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([
      readiness().then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
