// GET /api/health: 200 once the database is migrated and reachable.
import { database } from "@/server/db";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    const db = await database();
    await db.sql.query("SELECT 1");
    return Response.json({ status: "ok" });
  } catch (error) {
    console.error("health check failed", error);
    return Response.json({ status: "unavailable" }, { status: 503 });
  }
}
