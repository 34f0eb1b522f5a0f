import { ShieldCheck } from "lucide-react";

export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <span className="grid size-7 place-items-center rounded-md bg-indigo-600 text-white">
        <ShieldCheck className="size-4" aria-hidden />
      </span>
      Mandate
    </span>
  );
}
