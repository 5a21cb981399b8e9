import { inboundConformance, webhookRequest } from "@replykit/core/conformance";
import { optionsSchema, zapiInbound } from "../src/index.js";
import { RECEIVED_AT, ZAPI_FIXTURES } from "./inbound-fixtures.js";

// The shared inbound suite. Z-API authenticates by the URL alone, so requests carry the
// secret as the path segment and nothing covers the body (signsBody: false).
inboundConformance("Z-API (URL secret)", () => ({
  inbound: {
    verify: zapiInbound.verify,
    // The suite parses with one argument and compares with the fixtures: a fixed receipt
    // time makes the bodies that carry no `momment` parse to the fixtures' events every time.
    parse: (body: unknown) => zapiInbound.parse(body, RECEIVED_AT),
  },
  options: (webhookSecret) =>
    optionsSchema.parse({
      instanceId: "3C01A-instance",
      instanceToken: "F00D-instance-token",
      clientToken: "client-token-secret",
      ...(webhookSecret === undefined ? {} : { webhookSecret }),
    }),
  request: (body, secret) => webhookRequest({ body: JSON.stringify(body), pathSecret: secret }),
  signsBody: false,
  credentialHeaders: [],
  fixtures: ZAPI_FIXTURES,
  // One MessageStatusCallback names every message its status applies to: one event per id.
  bodyWithItems: (picks) => ({
    type: "MessageStatusCallback",
    status: "READ",
    ids: picks.map((pick) => `3EB0${pick.toString(16).toUpperCase().padStart(16, "0")}`),
    momment: 1632234645000,
    phone: "5544999999999",
  }),
}));
