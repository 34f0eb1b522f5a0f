import type { ReactNode } from "react";
import { SimulatorMemoryProvider } from "./_components/simulator-memory";

// The policies pages share the simulator's memory: a draft's simulation survives its save.
export default function PoliciesLayout({ children }: { children: ReactNode }) {
  return <SimulatorMemoryProvider>{children}</SimulatorMemoryProvider>;
}
