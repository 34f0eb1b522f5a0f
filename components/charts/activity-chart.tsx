"use client";

import {
  Area,
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceDot,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ActivityPoint } from "@/server/anomalies/activity";

export type ChartPoint = ActivityPoint;
export interface ChartAnomaly {
  id: string;
  t: number;
  kind: string;
  severity: "low" | "medium" | "high";
  agent: { name: string };
  detail: string;
}

const SEVERITY_COLOR = { low: "#f59e0b", medium: "#f97316", high: "#dc2626" } as const;
// Colours that read on white and on slate-900 alike.
const GRID = "rgba(148, 163, 184, 0.3)";
const AXIS = "#94a3b8";
const TOOLTIP = {
  contentStyle: {
    background: "rgba(15, 23, 42, 0.92)",
    border: "none",
    borderRadius: 8,
    color: "#f8fafc",
    fontSize: 12,
  },
  labelStyle: { color: "#cbd5e1" },
};

function label(t: number, daily: boolean) {
  const iso = new Date(t).toISOString();
  return daily ? iso.slice(5, 10) : `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/**
 * Token usage over time (tokens and decisions) with the baseline band (the same hour on the seven
 * days before) and the anomalies marked, and the denials below it. Times are UTC.
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
  const data = points.map((p) => ({ ...p, volume: p.tokens + p.decisions }));
  const volumeAt = new Map(data.map((p) => [p.t, p.volume]));
  const empty = data.every((p) => p.volume === 0 && p.denials === 0);
  if (empty) {
    return (
      <p className="py-12 text-center text-sm text-slate-600 dark:text-slate-400" data-testid="activity-empty">
        No agent activity in this range yet. Tokens and decisions appear here within a minute.
      </p>
    );
  }
  return (
    <div className="space-y-4" data-testid="activity-chart">
      <div
        className="h-64"
        role="img"
        aria-label="Tokens and decisions over time, with the usual range and anomalies marked"
      >
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={["dataMin", "dataMax"]}
              tickFormatter={(t: number) => label(t, daily)}
              stroke={AXIS}
              fontSize={11}
            />
            <YAxis stroke={AXIS} fontSize={11} width={44} allowDecimals={false} />
            <Tooltip
              {...TOOLTIP}
              labelFormatter={(t) => `${label(Number(t), daily)} UTC`}
              formatter={(value, name) => [
                Array.isArray(value) ? `${Math.round(value[0])}–${Math.round(value[1])}` : value,
                name,
              ]}
            />
            {data.some((p) => p.band) ? (
              <Area
                dataKey="band"
                name="usual range"
                stroke="none"
                fill="#6366f1"
                fillOpacity={0.12}
                isAnimationActive={false}
              />
            ) : null}
            <Line
              dataKey="volume"
              name="tokens + decisions"
              stroke="#6366f1"
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
            {anomalies.map((a) => (
              <ReferenceDot
                key={a.id}
                x={a.t}
                y={volumeAt.get(a.t) ?? 0}
                r={6}
                fill={SEVERITY_COLOR[a.severity]}
                stroke="#fff"
                shape={(props: { cx?: number; cy?: number }) => (
                  <circle
                    cx={props.cx}
                    cy={props.cy}
                    r={6}
                    fill={SEVERITY_COLOR[a.severity]}
                    stroke="#fff"
                    strokeWidth={2}
                    data-testid="anomaly-marker"
                    data-agent={a.agent.name}
                    data-kind={a.kind}
                  >
                    <title>{`${a.agent.name}: ${a.detail}`}</title>
                  </circle>
                )}
              />
            ))}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <div className="h-32" role="img" aria-label="Denied decisions over time">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 0, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke={GRID} vertical={false} />
            <XAxis dataKey="t" tickFormatter={(t: number) => label(t, daily)} stroke={AXIS} fontSize={11} />
            <YAxis stroke={AXIS} fontSize={11} width={44} allowDecimals={false} />
            <Tooltip {...TOOLTIP} labelFormatter={(t) => `${label(Number(t), daily)} UTC`} />
            <Bar dataKey="denials" name="denials" fill="#dc2626" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
