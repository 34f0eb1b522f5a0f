import { afterEach, describe, expect, it, vi } from "vitest";
import { type Job, startJobs } from "./scheduler";

describe("the scheduler", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("runs every job once at start, then on its own beat, and a failure stops neither it nor the others", async () => {
    vi.useFakeTimers();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const runs = { fast: 0, slow: 0 };
    const jobs: Job[] = [
      {
        name: "fast",
        everyMs: 1_000,
        run: async () => {
          runs.fast++;
          throw new Error("database unavailable");
        },
      },
      { name: "slow", everyMs: 10_000, run: async () => void runs.slow++ },
    ];
    const { stop } = await startJobs(jobs);
    expect(runs).toEqual({ fast: 1, slow: 1 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toEqual({ fast: 11, slow: 2 });
    expect(error).toHaveBeenCalledWith("fast failed", expect.any(Error));
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toEqual({ fast: 11, slow: 2 });
  });
});
