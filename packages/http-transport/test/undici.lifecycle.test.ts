import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MockAgent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HttpRequest } from "../src/index.js";
import { DEFAULT_CONNECTIONS_PER_ORIGIN, undiciTransport } from "../src/undici.js";
import { postRequest } from "./http-request.js";

// undiciTransport's own agent (close and destroy), a dispatcher the
// caller owns, the hooks it calls around a wait for a socket, and how it reads headers.

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.setHeader("x-twice", ["1", "2"]);
      response.setHeader("content-type", "application/json");
      response.end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (overrides: Partial<HttpRequest> = {}): HttpRequest =>
  postRequest(`${baseUrl}/send`, overrides);

describe("undiciTransport's own agent", () => {
  it("sends nothing more once closed", async () => {
    const transport = undiciTransport();
    await transport(request());
    await transport.close();
    await expect(transport(request())).rejects.toThrow();
  });

  it("sends nothing more once destroyed", async () => {
    const transport = undiciTransport();
    await transport(request());
    await transport.destroy();
    await expect(transport(request())).rejects.toThrow();
  });

  it("joins a header sent more than once with a comma, and reads names in any case", async () => {
    const transport = undiciTransport();
    try {
      const response = await transport(request());
      expect(response.header("X-Twice")).toBe("1, 2");
      expect(response.header("Content-Type")).toBe("application/json");
      expect(response.header("x-absent")).toBeUndefined();
    } finally {
      await transport.close();
    }
  });
});

describe("undiciTransport with the caller's dispatcher", () => {
  it("leaves the dispatcher open on close and destroy: it stays the caller's to close", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get("https://provider.example")
      .intercept({ path: "/send", method: "POST" })
      .reply(200, "{}")
      .times(2);
    const transport = undiciTransport({ dispatcher: agent });
    try {
      await transport(request({ url: "https://provider.example/send" }));
      await transport.close();
      await transport.destroy();
      const response = await transport(request({ url: "https://provider.example/send" }));
      expect(response.status).toBe(200);
    } finally {
      await agent.close();
    }
  });
});

describe("undiciTransport's hooks around a wait for a socket", () => {
  it("calls neither onWait nor onDispatch for a send that finds a free socket", async () => {
    const transport = undiciTransport({ connections: 2 });
    const calls: string[] = [];
    try {
      await transport(
        request({ onWait: () => calls.push("wait"), onDispatch: () => calls.push("dispatch") }),
      );
      expect(calls).toEqual([]);
    } finally {
      await transport.close();
    }
  });

  it("calls onWait, then onDispatch once the socket is free, for a send that waits", async () => {
    const transport = undiciTransport({ connections: 1 });
    const calls: string[] = [];
    try {
      await Promise.all([
        transport(request()),
        transport(
          request({ onWait: () => calls.push("wait"), onDispatch: () => calls.push("dispatch") }),
        ),
      ]);
      expect(calls).toEqual(["wait", "dispatch"]);
    } finally {
      await transport.close();
    }
  });

  it("lets a send that waits without hooks through", async () => {
    const transport = undiciTransport({ connections: 1 });
    try {
      const statuses = await Promise.all([transport(request()), transport(request())]);
      expect(statuses.map((response) => response.status)).toEqual([200, 200]);
    } finally {
      await transport.close();
    }
  });
});

describe("undiciTransport's own limit on sends at a time", () => {
  // A send that waits for a socket calls onWait synchronously, before the transport's first
  // await, so firing the sends in one go shows which of them were held back.
  const fire = (transport: ReturnType<typeof undiciTransport>, count: number, url?: string) => {
    const waited: number[] = [];
    const sends = Array.from({ length: count }, (_, index) =>
      transport(
        request({ ...(url === undefined ? {} : { url }), onWait: () => waited.push(index) }),
      ),
    );
    return { waited, sends };
  };

  it("holds back, by default, only the send beyond DEFAULT_CONNECTIONS_PER_ORIGIN to one origin", async () => {
    const transport = undiciTransport();
    try {
      const { waited, sends } = fire(transport, DEFAULT_CONNECTIONS_PER_ORIGIN + 1);
      expect(waited).toEqual([DEFAULT_CONNECTIONS_PER_ORIGIN]);
      const responses = await Promise.all(sends);
      expect(responses.every((response) => response.status === 200)).toBe(true);
    } finally {
      await transport.close();
    }
  });

  it("holds back no send to a dispatcher of the caller's unless connections is set", async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    const count = DEFAULT_CONNECTIONS_PER_ORIGIN + 1;
    agent
      .get("https://provider.example")
      .intercept({ path: "/send", method: "POST" })
      .reply(200, "{}")
      .times(count);
    const transport = undiciTransport({ dispatcher: agent });
    try {
      const { waited, sends } = fire(transport, count, "https://provider.example/send");
      expect(waited).toEqual([]);
      await Promise.all(sends);
      agent.assertNoPendingInterceptors();
    } finally {
      await agent.close();
    }
  });
});
