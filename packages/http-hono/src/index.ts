// The app moved to its own edge-safe package; this entry keeps importing it from here working.
export * from "@replykit/http-app";
