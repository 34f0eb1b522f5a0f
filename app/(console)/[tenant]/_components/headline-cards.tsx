import clsx from "clsx";
import { Bot, CheckSquare, KeyRound, ShieldAlert, ShieldX, Siren, TrendingDown, TrendingUp } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import {
  type Change,
  describeChange,
  describeSeverities,
  headlineLinks,
  share,
  totalOf,
} from "@/lib/overview/headline";
import type { Headline } from "@/server/tenants/headline";

const n = (v: number) => v.toLocaleString("en");

function HeadlineCard({
  href,
  icon,
  title,
  value,
  testId,
  alert,
  children,
}: {
  href: string;
  icon: ReactNode;
  title: string;
  value: number;
  testId: string;
  alert?: boolean;
  children: ReactNode;
}) {
  return (
    <li>
      <Link
        href={href}
        data-testid={testId}
        className={clsx(
          "group block h-full rounded-xl border bg-white p-5 shadow-xs hover:border-indigo-300 hover:shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:bg-slate-900 dark:hover:border-indigo-700",
          alert ? "border-red-300 dark:border-red-900" : "border-slate-200 dark:border-slate-800",
        )}
      >
        <span className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
          {icon}
          <span className="group-hover:text-indigo-700 group-hover:underline dark:group-hover:text-indigo-300">
            {title}
          </span>
        </span>
        <span className="mt-2 block text-3xl font-semibold tabular-nums" data-testid={`${testId}-value`}>
          {n(value)}
        </span>
        <span className="mt-1 block text-sm text-slate-600 dark:text-slate-400">{children}</span>
      </Link>
    </li>
  );
}

function Trend({ change, worse }: { change: Change; worse?: "up" }) {
  const Icon = change.trend === "up" ? TrendingUp : change.trend === "down" ? TrendingDown : null;
  const bad = worse === change.trend;
  return (
    <span className={clsx("inline-flex items-center gap-1", bad && "font-medium text-red-700 dark:text-red-300")}>
      {Icon ? <Icon className="size-3.5 shrink-0" aria-hidden /> : null}
      {describeChange(change)}
    </span>
  );
}

const ICON = "size-4 shrink-0";

interface CardSpec {
  id: "agents" | "tokens" | "decisions" | "denials" | "approvals" | "anomalies" | "grants";
  icon: ReactNode;
  title: string;
  value: number;
  alert?: boolean;
  note: ReactNode;
}

/** The numbers a security team opens the console for, each a link to the list it counts. */
export function HeadlineCards({ tenantSlug, headline, now }: { tenantSlug: string; headline: Headline; now: Date }) {
  const links = headlineLinks(tenantSlug, headline.windows, now);
  const { activeAgents, liveTokens, decisions, denials, pendingApprovals, anomalies, yourGrants } = headline;
  const rate = denials && decisions ? share(denials.current, decisions.current) : null;
  const specs: (CardSpec | null)[] = [
    activeAgents === undefined
      ? null
      : {
          id: "agents",
          icon: <Bot className={ICON} aria-hidden />,
          title: "Active agents",
          value: activeAgents,
          note: "May get tokens and act now",
        },
    liveTokens === undefined
      ? null
      : {
          id: "tokens",
          icon: <KeyRound className={ICON} aria-hidden />,
          title: "Live access tokens",
          value: liveTokens,
          note: "Issued within the last hour, unrevoked",
        },
    decisions
      ? {
          id: "decisions",
          icon: <ShieldAlert className={ICON} aria-hidden />,
          title: "Decisions, last 24 h",
          value: decisions.current,
          note: <Trend change={decisions} />,
        }
      : null,
    denials
      ? {
          id: "denials",
          icon: <ShieldX className={ICON} aria-hidden />,
          title: "Denied, last 24 h",
          value: denials.current,
          // A jump worth a look: at least half again as many, and not a handful.
          alert: denials.trend === "up" && (denials.percent === null || denials.percent >= 50) && denials.current >= 10,
          note: (
            <>
              {rate ? <span className="block">{rate} of decisions</span> : null}
              <Trend change={denials} worse="up" />
            </>
          ),
        }
      : null,
    pendingApprovals === undefined
      ? null
      : {
          id: "approvals",
          icon: <CheckSquare className={ICON} aria-hidden />,
          title: "Pending approvals",
          value: pendingApprovals,
          note: pendingApprovals ? "Agents waiting for a person's yes" : "Nothing waiting",
        },
    anomalies
      ? {
          id: "anomalies",
          icon: <Siren className={ICON} aria-hidden />,
          title: "Open anomalies",
          value: totalOf(anomalies),
          alert: anomalies.high > 0,
          note: describeSeverities(anomalies),
        }
      : null,
    yourGrants === undefined
      ? null
      : {
          id: "grants",
          icon: <KeyRound className={ICON} aria-hidden />,
          title: "Agents acting for you",
          value: yourGrants,
          note: "Live grants you gave; revoke any of them",
        },
  ];
  const cards = specs.filter((c): c is CardSpec => c !== null);
  if (!cards.length) return null;
  const since = headline.windows.last.from.toISOString();
  return (
    <section aria-labelledby="headline-title" className="mb-8">
      <h2 id="headline-title" className="sr-only">
        At a glance
      </h2>
      {decisions ? (
        <p className="mb-3 text-xs text-slate-600 dark:text-slate-400" data-testid="headline-window">
          The last 24 hours: since {since.slice(0, 10)} {since.slice(11, 16)} UTC, against the 24 hours before.
        </p>
      ) : null}
      <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {cards.map(({ id, note, ...card }) => (
          <HeadlineCard key={id} href={links[id]} testId={`headline-${id}`} {...card}>
            {note}
          </HeadlineCard>
        ))}
      </ul>
    </section>
  );
}
