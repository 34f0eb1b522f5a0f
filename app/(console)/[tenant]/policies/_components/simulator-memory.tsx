"use client";

import { createContext, type ReactNode, useContext, useState } from "react";
import type { SimulationResult } from "@/server/policies/simulate";

// What the simulator was last given, and its answer, per policy (or per new draft), kept in the
// policies layout so that it outlives a page: creating a policy moves from /new to the policy's
// own page, and a save refreshes the page; neither should cost the person the case they built.
// It lives as long as the tab stays in the tenant's policies, like any unsaved form.

export interface SimulatorInputs {
  agent: string;
  action: string;
  resourceType: string;
  resourceId: string;
  attributes: string;
  context: Record<string, string>;
  /** As if the agent held a token exchanged from this agent's (delegated_by); empty for none. */
  delegatedBy?: string;
  /** As if the token were for this resource server (context.audience); empty for Mandate's API. */
  audience?: string;
}

export interface SimulatorMemo {
  inputs: SimulatorInputs;
  /** The answer, with the draft text it was given (to tell when the draft has changed since). */
  answer: { result: SimulationResult; text: string | null } | null;
}

export class SimulatorMemory {
  private readonly memos = new Map<string, SimulatorMemo>();

  static key(tenant: string, policyId: string | undefined) {
    return `${tenant}/${policyId ?? "new"}`;
  }

  get(key: string) {
    return this.memos.get(key);
  }

  set(key: string, memo: SimulatorMemo) {
    this.memos.set(key, memo);
  }

  /** A new draft was saved as this policy: its simulation goes with it to the policy's page. */
  adopt(tenant: string, policyId: string) {
    const from = SimulatorMemory.key(tenant, undefined);
    const memo = this.memos.get(from);
    if (!memo) return;
    this.memos.set(SimulatorMemory.key(tenant, policyId), memo);
    this.memos.delete(from);
  }
}

const MemoryContext = createContext<SimulatorMemory | null>(null);

export function SimulatorMemoryProvider({ children }: { children: ReactNode }) {
  const [memory] = useState(() => new SimulatorMemory());
  return <MemoryContext value={memory}>{children}</MemoryContext>;
}

/** The layout's memory; null outside the policies layout, where nothing is kept. */
export function useSimulatorMemory(): SimulatorMemory | null {
  return useContext(MemoryContext);
}
