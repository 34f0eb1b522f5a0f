import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

// Every page is rendered per request, so that each carries the nonce of its own
// Content-Security-Policy (server/http/front-door.ts); a page prerendered at build time has none.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Mandate", template: "%s · Mandate" },
  description: "Control plane for AI-agent identities",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
