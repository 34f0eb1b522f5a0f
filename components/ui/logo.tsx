/** The Mandate mark (public/logo.svg, the same file as the favicon's and the OAuth pages') and the name. */
export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      {/* biome-ignore lint/performance/noImgElement: a fixed-size SVG from public/, nothing for next/image to do */}
      <img src="/logo.svg" alt="" width={28} height={28} className="size-7" />
      Mandate
    </span>
  );
}
