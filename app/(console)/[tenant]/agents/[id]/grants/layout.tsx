import type { ReactNode } from "react";
import { agentTab } from "../_lib/agent-context";

export default async function Layout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ tenant: string; id: string }>;
}) {
  await agentTab(params, "grants");
  return children;
}
