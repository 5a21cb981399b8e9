import { createHash } from "node:crypto";
import { hashApiKey } from "@replykit/http-app";
import { describe, expect, it, vi } from "vitest";
import { createConfiguredApp } from "../src/composition/configured-app.js";
import { parseServerConfig } from "../src/composition/index.js";
import { minimalConfig } from "./support.js";

describe("the composition root's API keys", () => {
  it("hash a presented token with the runtime's sha256 (node:crypto on Node), not Web Crypto", async () => {
    const key = "rk_live_hashing_test_0123456789";
    const config = parseServerConfig(
      {
        ...minimalConfig(),
        apiKeys: [{ id: "k1", organizationId: "acme", sha256: await hashApiKey(key) }],
      },
      { WA_TOKEN: "t" },
    );
    const hashed: string[] = [];
    const webCrypto = vi.spyOn(crypto.subtle, "digest");
    const app = createConfiguredApp(config, {
      sha256: (text) => {
        hashed.push(text);
        return createHash("sha256").update(text).digest();
      },
    });
    const response = await app.request("/messages/unknown-message", {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.status).toBe(404);
    expect(hashed).toEqual([key]);
    expect(webCrypto).not.toHaveBeenCalled();
    webCrypto.mockRestore();
  });
});
