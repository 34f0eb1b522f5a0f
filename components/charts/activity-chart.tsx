"use client";

import { type ReactElement, useId } from "react";
import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  Line,
  ReferenceDot,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { KIND_LABELS } from "@/lib/anomalies/group";
import {
  bucketLabel,
  type ChartRow,
  chartRows,
  summarizeDenials,
  summarizeVolume,
  tickLabel,
  timeTicks,
} from "@/lib/charts/activity";
import type { ActivityPoint } from "@/server/anomalies/activity";

export type ChartPoint = Omit<ActivityPoint, "partial"> & { partial?: boolean };
export interface ChartAnomaly {
  id: string;
  t: number;
  kind: string;
  severity: "low" | "medium" | "high";
  agent: { name: string };
  detail: string;
}

// Colours as CSS variables of the figure, one set per theme: lines and bars at 3:1 or more against
// the card, tick labels at 4.5:1 or more (WCAG AA), in light and dark alike.
const THEME = [
  "[--c-decisions:#4f46e5] dark:[--c-decisions:#818cf8]",
  "[--c-tokens:#0f766e] dark:[--c-tokens:#5eead4]",
  "[--c-denials:#dc2626] dark:[--c-denials:#f87171]",
  "[--c-band:#6366f1] dark:[--c-band:#818cf8]",
  "[--c-axis:#475569] dark:[--c-axis:#cbd5e1]",
  "[--c-grid:#e2e8f0] dark:[--c-grid:#1e293b]",
  "[--c-surface:#ffffff] dark:[--c-surface:#0f172a]",
  "[--c-high:#dc2626] dark:[--c-high:#f87171]",
  "[--c-medium:#ea580c] dark:[--c-medium:#fb923c]",
  "[--c-low:#d97706] dark:[--c-low:#fbbf24]",
].join(" ");

const TICK = { fill: "var(--c-axis)", fontSize: 12 };

type Key = "decisions" | "tokens" | "band" | "partial" | "anomaly" | "denials";

function Swatch({ of }: { of: Key }) {
  if (of === "band") return <span className="h-3 w-4 rounded-sm bg-[var(--c-band)] opacity-20" />;
  if (of === "anomaly") return <span className="size-2.5 rounded-full bg-[var(--c-high)]" />;
  if (of === "denials") return <span className="h-3 w-2.5 rounded-sm bg-[var(--c-denials)]" />;
  if (of === "partial") return <span className="w-4 border-t-2 border-dashed border-[var(--c-axis)]" />;
  return <span className={`h-0.5 w-4 ${of === "decisions" ? "bg-[var(--c-decisions)]" : "bg-[var(--c-tokens)]"}`} />;
}

function Legend({ items }: { items: [Key, string][] }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700 dark:text-slate-300" aria-label="Legend">
      {items.map(([key, label]) => (
        <li key={key} className="flex items-center gap-1.5">
          <Swatch of={key} />
          {label}
        </li>
      ))}
    </ul>
  );
}

function ChartTooltip({
  active,
  label,
  rows,
  minutes,
  anomalies,
  only,
}: {
  active?: boolean;
  label?: unknown;
  rows: ChartRow[];
  minutes: number;
  anomalies: ChartAnomaly[];
  only?: "denials";
}) {
  const row = rows.find((r) => r.t === Number(label));
  if (!active || !row) return null;
  const value = (v: number | null, soFar: number | null) => (v ?? soFar ?? 0).toLocaleString("en");
  const here = anomalies.filter((a) => a.t === row.t);
  const lines: [string, string][] =
    only === "denials"
      ? [["Denied decisions", row.denials.toLocaleString("en")]]
      : [
          ["Decisions", value(row.decisions, row.decisionsSoFar)],
          ["Tokens issued", value(row.tokens, row.tokensSoFar)],
          ...(row.band
            ? ([["Usual decisions", `${Math.round(row.band[0])}–${Math.round(row.band[1])}`]] as [string, string][])
            : []),
        ];
  return (
    <div className="max-w-72 rounded-lg bg-white px-3 py-2 text-xs text-slate-900 shadow-lg ring-1 ring-slate-200 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-700">
      <p className="font-medium">{bucketLabel(row.t, minutes, row.partial)}</p>
      <dl className="mt-1 grid grid-cols-[auto_auto] gap-x-3 gap-y-0.5">
        {lines.map(([name, v]) => (
          <div key={name} className="contents">
            <dt className="text-slate-600 dark:text-slate-300">{name}</dt>
            <dd className="text-right tabular-nums">{v}</dd>
          </div>
        ))}
      </dl>
      {here.length && only !== "denials" ? (
        <ul className="mt-1.5 space-y-0.5 border-t border-slate-200 pt-1.5 dark:border-slate-700">
          {here.map((a) => (
            <li key={a.id}>
              {KIND_LABELS[a.kind] ?? a.kind} · {a.agent.name} ({a.severity})
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** One chart with its title, legend and a sentence of what it shows (its accessible name and description). */
function ChartFigure({
  title,
  legend,
  summary,
  testId,
  height,
  children,
}: {
  title: string;
  legend: [Key, string][];
  summary: string;
  testId: string;
  height: string;
  children: ReactElement;
}) {
  const id = useId();
  return (
    <figure aria-labelledby={`${id}-t`} aria-describedby={`${id}-s`}>
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h3 id={`${id}-t`} className="text-sm font-medium text-slate-800 dark:text-slate-200">
          {title} <span className="font-normal text-slate-600 dark:text-slate-400">(UTC)</span>
        </h3>
        <Legend items={legend} />
      </div>
      <p id={`${id}-s`} className="mb-2 text-xs text-slate-600 dark:text-slate-400" data-testid={testId}>
        {summary}
      </p>
      <div className={height}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

/**
 * Decisions and tokens issued over time (separate lines), the usual range of decisions (the same
 * hour on the seven days before) and the anomalies marked; denied decisions below. The bucket
 * still filling is drawn dashed (and faded for bars) and said so in the tooltip. Times are UTC.
 */
export function ActivityChart({
  points,
  anomalies,
  daily,
}: {
  points: ChartPoint[];
  anomalies: ChartAnomaly[];
  daily: boolean;
}) {
  const minutes = daily ? 1440 : 60;
  const unit = daily ? "day" : "hour";
  const rows = chartRows(points);
  if (points.every((p) => p.tokens + p.decisions + p.denials === 0)) {
    return (
      <p className="py-12 text-center text-sm text-slate-600 dark:text-slate-400" data-testid="activity-empty">
        No agent activity in this range yet. Tokens and decisions appear here within a minute.
      </p>
    );
  }
  const step = minutes * 60_000;
  const domain: [number, number] = [points[0].t - step / 2, (points.at(-1)?.t ?? 0) + step / 2];
  const ticks = timeTicks(points[0].t, points.at(-1)?.t ?? 0, minutes);
  const yAt = new Map(rows.map((r) => [r.t, r.decisions ?? r.decisionsSoFar ?? 0]));
  const partial = rows.some((r) => r.partial);
  const hasBand = rows.some((r) => r.band);
  const xAxis = (
    <XAxis
      dataKey="t"
      type="number"
      scale="time"
      domain={domain}
      ticks={ticks}
      tickFormatter={(t: number) => tickLabel(t, minutes)}
      tick={TICK}
      stroke="var(--c-grid)"
      tickLine={false}
      interval={0}
    />
  );
  const yAxis = (count: number) => (
    <YAxis tick={TICK} stroke="var(--c-grid)" tickLine={false} width={48} allowDecimals={false} tickCount={count} />
  );
  const volume = {
    title: `Decisions and tokens issued per ${unit}`,
    summary: summarizeVolume(points, minutes, anomalies.length),
  };
  const denials = { title: `Denied decisions per ${unit}`, summary: summarizeDenials(points, minutes) };
  return (
    <div className={`space-y-6 ${THEME}`} data-testid="activity-chart">
      <ChartFigure
        title={volume.title}
        summary={volume.summary}
        testId="volume-summary"
        height="h-64"
        legend={[
          ["decisions", "Decisions"],
          ["tokens", "Tokens issued"],
          ...(hasBand ? [["band", "Usual decisions"] as [Key, string]] : []),
          ...(anomalies.length ? [["anomaly", "Anomaly (by severity)"] as [Key, string]] : []),
          ...(partial ? [["partial", `This ${unit} so far`] as [Key, string]] : []),
        ]}
      >
        <ComposedChart
          data={rows}
          margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
          title={volume.title}
          desc={volume.summary}
        >
          <CartesianGrid stroke="var(--c-grid)" vertical={false} />
          {xAxis}
          {yAxis(5)}
          <Tooltip
            content={(p) => <ChartTooltip {...p} rows={rows} minutes={minutes} anomalies={anomalies} />}
            cursor={{ stroke: "var(--c-axis)", strokeDasharray: "2 2" }}
          />
          {hasBand ? (
            <Area
              dataKey="band"
              name="Usual decisions"
              stroke="none"
              fill="var(--c-band)"
              fillOpacity={0.15}
              isAnimationActive={false}
              activeDot={false}
            />
          ) : null}
          {(["decisions", "tokens"] as const).map((key) => [
            <Line
              key={key}
              dataKey={key}
              name={key === "decisions" ? "Decisions" : "Tokens issued"}
              stroke={`var(--c-${key})`}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />,
            <Line
              key={`${key}-so-far`}
              dataKey={`${key}SoFar`}
              name={`${key === "decisions" ? "Decisions" : "Tokens issued"} so far`}
              stroke={`var(--c-${key})`}
              strokeWidth={2}
              strokeDasharray="4 3"
              strokeOpacity={0.7}
              dot={false}
              activeDot={false}
              isAnimationActive={false}
              legendType="none"
            />,
          ])}
          {anomalies.map((a) => (
            <ReferenceDot
              key={a.id}
              x={a.t}
              y={yAt.get(a.t) ?? 0}
              shape={(props: { cx?: number; cy?: number }) => (
                <circle
                  cx={props.cx}
                  cy={props.cy}
                  r={6}
                  fill={`var(--c-${a.severity})`}
                  stroke="var(--c-surface)"
                  strokeWidth={2}
                  data-testid="anomaly-marker"
                  data-agent={a.agent.name}
                  data-kind={a.kind}
                >
                  <title>{`${KIND_LABELS[a.kind] ?? a.kind} · ${a.agent.name} (${a.severity}): ${a.detail}`}</title>
                </circle>
              )}
            />
          ))}
        </ComposedChart>
      </ChartFigure>
      <ChartFigure
        title={denials.title}
        summary={denials.summary}
        testId="denials-summary"
        height="h-36"
        legend={[
          ["denials", "Denied decisions"],
          ...(partial ? [["partial", `This ${unit} so far (faded)`] as [Key, string]] : []),
        ]}
      >
        <BarChart
          data={rows}
          margin={{ top: 0, right: 16, bottom: 0, left: 0 }}
          title={denials.title}
          desc={denials.summary}
        >
          <CartesianGrid stroke="var(--c-grid)" vertical={false} />
          {xAxis}
          {yAxis(3)}
          <Tooltip
            content={(p) => <ChartTooltip {...p} rows={rows} minutes={minutes} anomalies={anomalies} only="denials" />}
            cursor={{ fill: "var(--c-grid)", fillOpacity: 0.5 }}
          />
          <Bar dataKey="denials" name="Denied decisions" fill="var(--c-denials)" isAnimationActive={false}>
            {rows.map((r) => (
              <Cell
                key={r.t}
                fillOpacity={r.partial ? 0.35 : 1}
                stroke={r.partial ? "var(--c-denials)" : undefined}
                strokeDasharray={r.partial ? "3 2" : undefined}
              />
            ))}
          </Bar>
        </BarChart>
      </ChartFigure>
    </div>
  );
}
