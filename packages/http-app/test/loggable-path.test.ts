import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loggablePath } from "../src/index.js";

describe("loggablePath", () => {
  it("hides a webhook path's secret segment and whatever follows it", () => {
    expect(loggablePath("/webhooks/acme-zapi/s3cr3t-path-segment")).toBe(
      "/webhooks/acme-zapi/[REDACTED]",
    );
    expect(loggablePath("/webhooks/acme-zapi/s3cr3t/more")).toBe("/webhooks/acme-zapi/[REDACTED]");
  });

  it("keeps paths without a secret as they are", () => {
    for (const path of [
      "/webhooks/acme-wa",
      "/webhooks/acme-wa/",
      "/messages/interactive/send-buttons",
      "/messages/m-1",
      "/healthz",
      "/",
    ]) {
      expect(loggablePath(path)).toBe(path);
    }
  });

  it("never returns any part of the secret segment", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9._~-]{1,40}$/),
        fc.string({ minLength: 1 }),
        (connectionId, secret) => {
          const cleaned = secret.replace(/[/?]/g, "x");
          const logged = loggablePath(`/webhooks/${connectionId}/${cleaned}`);
          expect(logged).toBe(`/webhooks/${connectionId}/[REDACTED]`);
        },
      ),
    );
  });
});
