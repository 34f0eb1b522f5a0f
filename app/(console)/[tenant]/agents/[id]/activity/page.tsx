import type { Metadata } from "next";
import { ActivityChart } from "@/components/charts/activity-chart";
import { Card } from "@/components/ui/card";
import { activityFor } from "@/server/anomalies/activity";
import { agentPage } from "../_lib/agent-context";

type Params = Promise<{ tenant: string; id: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Activity · ${(await agentPage(params)).agent.name} · Agents` };
}

export default async function AgentActivityPage({ params }: { params: Params }) {
  const { caller, tenant, agent } = await agentPage(params);
  const activity = await activityFor(caller, tenant.id, { range: "7d", agent: agent.id });
  return (
    <Card>
      <h2 className="text-sm font-semibold">Activity, last 7 days</h2>
      <p className="mb-2 text-sm text-slate-600 dark:text-slate-400">
        Tokens issued and decisions asked for per hour, with the usual range drawn as a band and anomalies marked.
      </p>
      <ActivityChart points={activity.points} anomalies={activity.anomalies} daily={false} />
    </Card>
  );
}
