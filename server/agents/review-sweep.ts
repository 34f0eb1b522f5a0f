import "server-only";
import { prisma } from "../db";
import { applyTransition } from "./transition-agent";

const SYSTEM = { type: "system", label: "review sweep" };

/**
 * Suspends every active agent whose review date has passed. Safe to run on several instances at
 * once: each suspension is a compare-and-set, so an agent is suspended (and recorded) once.
 */
export async function sweepOverdueReviews(now = new Date()): Promise<string[]> {
  const db = await prisma();
  const suspended: string[] = [];
  const skipped = new Set<string>();
  for (;;) {
    const batch = await db.agent.findMany({
      where: { status: "ACTIVE", reviewDueAt: { lte: now }, id: { notIn: [...skipped] } },
      select: { id: true, tenantId: true, status: true, reviewDueAt: true },
      orderBy: { reviewDueAt: "asc" },
      take: 500,
    });
    if (batch.length === 0) return suspended;
    for (const agent of batch) {
      try {
        await db.$transaction((tx) =>
          applyTransition(
            tx,
            { ...agent, reviewDueAt: null },
            "suspend",
            "Review date passed without renewal",
            SYSTEM,
            now,
          ),
        );
        suspended.push(agent.id);
      } catch {
        // Another instance, or a person, got there first.
        skipped.add(agent.id);
      }
    }
  }
}
