import { describe, expect, it } from "vitest";
import { type DeliveryState, movesForward, STATUS_RANK } from "../src/index.js";

// Delivery statuses only move a message forward: accepted → sent → delivered → read, and
// failed outranks them all.

const order: DeliveryState[] = ["accepted", "sent", "delivered", "read", "failed"];

describe("movesForward", () => {
  it("takes any status for a message that has none yet", () => {
    for (const next of order) expect(movesForward(undefined, next)).toBe(true);
  });

  it("moves on to a later status only, never back and never sideways", () => {
    for (const [i, current] of order.entries()) {
      for (const [j, next] of order.entries()) {
        expect(movesForward(current, next), `${current} → ${next}`).toBe(j > i);
      }
    }
  });

  it("ranks failed above read", () => {
    expect(STATUS_RANK.failed).toBeGreaterThan(STATUS_RANK.read);
  });
});
