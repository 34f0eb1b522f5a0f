import { describe, expect, it } from "vitest";
import { restartDelay } from "./workers";

describe("restartDelay", () => {
  it("replaces a worker that died once after a second, and backs off while they keep dying", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelay)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(restartDelay(0)).toBe(1_000);
  });
});
