"use client";

import clsx from "clsx";
import { FlaskConical } from "lucide-react";
import { type FormEvent, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { resourceTypesFor } from "@/lib/resource-types-for-action";
import { CONTEXT_FIELD_TYPES, RESOURCE_TYPE_LIST } from "@/lib/schemas/decision-vocabulary";
import { simulatePolicyAction } from "../actions";
import { SimulationAnswer } from "./simulation-answer";
import { type SimulatorInputs, type SimulatorMemo, SimulatorMemory, useSimulatorMemory } from "./simulator-memory";

export interface SimulatorAgent {
  id: string;
  name: string;
  status: string;
}

const selectClass =
  "mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900 dark:ring-slate-700";

const CONTEXT_LABELS: Record<keyof typeof CONTEXT_FIELD_TYPES, string> = {
  amount: "Amount",
  currency: "Currency",
  recipient: "Recipient",
  recipient_domain: "Recipient domain",
  purpose: "Purpose",
  count: "Count",
};
const CONTEXT_KEYS = Object.keys(CONTEXT_FIELD_TYPES) as (keyof typeof CONTEXT_FIELD_TYPES)[];

/** "key=value" lines as an attribute map; a line without "=" is named so it can be fixed. */
function parseAttributes(text: string): { attributes: Record<string, string> } | { error: string } {
  const attributes: Record<string, string> = {};
  for (const [i, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    if (eq < 1) return { error: `Line ${i + 1}: write attributes as key=value.` };
    attributes[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { attributes };
}

/** A change of action proposes the resource type its name suggests, unless the one chosen fits. */
function withAction(inputs: SimulatorInputs, action: string): SimulatorInputs {
  const { suggested } = resourceTypesFor(action);
  const fits = !suggested.length || suggested.some((t) => t === inputs.resourceType);
  return { ...inputs, action, resourceType: fits ? inputs.resourceType : suggested[0] };
}

/**
 * What the decision would be for an agent of this tenant, with the draft in the editor taking
 * part (as if enabled, in place of its saved text). Nothing is stored or audited as a decision.
 */
export function SimulatorPanel({
  tenant,
  agents,
  actions,
  draft,
  defaults,
}: {
  tenant: string;
  agents: SimulatorAgent[];
  actions: string[];
  draft: { policyId?: string; name: string; text: string } | null;
  defaults: { action: string; resourceType: string };
}) {
  const memory = useSimulatorMemory();
  const key = SimulatorMemory.key(tenant, draft?.policyId);
  const [memo, setMemo] = useState<SimulatorMemo>(() => {
    const kept = memory?.get(key);
    const firstActive = agents.find((a) => a.status === "active") ?? agents[0];
    // What was kept, as far as it still holds: an agent since retired or a scope since deleted
    // falls back to the defaults.
    return {
      answer: kept?.answer ?? null,
      inputs: {
        resourceId: "example-1",
        attributes: "",
        context: {},
        ...kept?.inputs,
        agent: agents.find((a) => a.id === kept?.inputs.agent)?.id ?? firstActive?.id ?? "",
        action: kept && actions.includes(kept.inputs.action) ? kept.inputs.action : defaults.action,
        resourceType: kept?.inputs.resourceType ?? defaults.resourceType,
      },
    };
  });
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const { inputs, answer } = memo;
  const setInputs = (change: (i: SimulatorInputs) => SimulatorInputs) =>
    setMemo((m) => ({ ...m, inputs: change(m.inputs) }));
  const setContext = (k: string, v: string) => setInputs((i) => ({ ...i, context: { ...i.context, [k]: v } }));
  const types = resourceTypesFor(inputs.action);

  useEffect(() => {
    memory?.set(key, memo);
  }, [memory, key, memo]);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const local: Record<string, string[]> = {};
    const attrs = parseAttributes(inputs.attributes);
    if ("error" in attrs) local["resource.attributes"] = [attrs.error];
    const context: Record<string, string | number> = {};
    for (const key of CONTEXT_KEYS) {
      const v = (inputs.context[key] ?? "").trim();
      if (!v) continue;
      if (CONTEXT_FIELD_TYPES[key] === "Long") {
        if (!/^-?\d+$/.test(v)) local[`context.${key}`] = ["Give a whole number."];
        else context[key] = Number(v);
      } else context[key] = v;
    }
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length || "error" in attrs) return;
    setPending(true);
    const result = await simulatePolicyAction({
      agent: inputs.agent,
      action: inputs.action,
      resource: { type: inputs.resourceType, id: inputs.resourceId.trim(), attributes: attrs.attributes },
      context,
      delegated_by: inputs.delegatedBy ? [inputs.delegatedBy] : [],
      ...(inputs.audience?.trim() ? { audience: inputs.audience.trim() } : {}),
      ...(draft ? { draft: { policy_id: draft.policyId, name: draft.name || "Draft", text: draft.text } } : {}),
    });
    setPending(false);
    if (!result.ok) {
      setMemo((m) => ({ ...m, answer: null }));
      setErrors(result.fieldErrors ?? {});
      setFormError(result.error);
      return;
    }
    setMemo((m) => ({ ...m, answer: { result: result.data, text: draft?.text ?? null } }));
  }

  const err = (k: string) => errors[k]?.[0];
  return (
    <Card>
      <h2 className="flex items-center gap-2 text-sm font-semibold">
        <FlaskConical className="size-4 text-indigo-500" aria-hidden /> Simulate a decision
      </h2>
      <p className="mt-1 mb-4 text-xs text-muted">
        {draft
          ? "The draft in the editor takes part as if enabled, with the tenant's enabled policies. Nothing is recorded."
          : "Against the enabled policies as they are now. Nothing is recorded."}
      </p>
      <form onSubmit={onSubmit} noValidate aria-label="Simulate a decision" className="space-y-3">
        <div>
          <label htmlFor="sim-agent" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            Agent
          </label>
          <select
            id="sim-agent"
            value={inputs.agent}
            onChange={(e) => setInputs((i) => ({ ...i, agent: e.target.value }))}
            className={selectClass}
          >
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
                {a.status === "active" ? "" : ` (${a.status})`}
              </option>
            ))}
          </select>
          {err("agent") ? <p className="mt-1 text-sm text-red-600 dark:text-red-400">{err("agent")}</p> : null}
        </div>
        <div>
          <label htmlFor="sim-delegated-by" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            Delegated by (optional)
          </label>
          <select
            id="sim-delegated-by"
            value={inputs.delegatedBy ?? ""}
            onChange={(e) => setInputs((i) => ({ ...i, delegatedBy: e.target.value }))}
            className={selectClass}
            aria-describedby="sim-delegated-by-hint"
          >
            <option value="">Nobody: the agent&apos;s own token</option>
            {agents
              .filter((a) => a.id !== inputs.agent)
              .map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
          </select>
          <p id="sim-delegated-by-hint" className="mt-1 text-xs text-muted">
            As if the agent acted on a token exchanged from this agent&apos;s: <code>context.chain</code> holds both,{" "}
            <code>context.depth</code> is 1.
          </p>
          {err("delegated_by") || err("delegated_by.0") ? (
            <p className="mt-1 text-sm text-red-600 dark:text-red-400">
              {err("delegated_by") ?? err("delegated_by.0")}
            </p>
          ) : null}
        </div>
        <div>
          <Field
            id="sim-audience"
            label="Token for (optional)"
            value={inputs.audience ?? ""}
            placeholder="Mandate's API"
            onChange={(e) => setInputs((i) => ({ ...i, audience: e.target.value }))}
            error={err("audience")}
            aria-describedby={err("audience") ? "sim-audience-error sim-audience-hint" : "sim-audience-hint"}
          />
          <p id="sim-audience-hint" className="mt-1 text-xs text-muted">
            The resource server the agent&apos;s token is for, such as an MCP server asking before a tool call:{" "}
            <code>context.audience</code>.
          </p>
        </div>
        <div>
          <label htmlFor="sim-action" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            Action
          </label>
          <select
            id="sim-action"
            value={inputs.action}
            onChange={(e) => setInputs((i) => withAction(i, e.target.value))}
            className={selectClass}
          >
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
          {err("action") ? <p className="mt-1 text-sm text-red-600 dark:text-red-400">{err("action")}</p> : null}
        </div>
        <div className="grid grid-cols-2 gap-3">
          <div>
            <label htmlFor="sim-resource-type" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
              Resource type
            </label>
            <select
              id="sim-resource-type"
              value={inputs.resourceType}
              onChange={(e) => setInputs((i) => ({ ...i, resourceType: e.target.value }))}
              className={selectClass}
            >
              {types.suggested.length ? (
                <>
                  <optgroup label={`Fits ${inputs.action}`}>
                    {types.suggested.map((t) => (
                      <option key={t}>{t}</option>
                    ))}
                  </optgroup>
                  <optgroup label="Other types">
                    {types.others.map((t) => (
                      <option key={t}>{t}</option>
                    ))}
                  </optgroup>
                </>
              ) : (
                RESOURCE_TYPE_LIST.map((t) => <option key={t}>{t}</option>)
              )}
            </select>
          </div>
          <Field
            id="sim-resource-id"
            label="Resource id"
            value={inputs.resourceId}
            onChange={(e) => setInputs((i) => ({ ...i, resourceId: e.target.value }))}
            error={err("resource.id")}
          />
        </div>
        <div>
          <label htmlFor="sim-attributes" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            Resource attributes
          </label>
          <textarea
            id="sim-attributes"
            value={inputs.attributes}
            onChange={(e) => setInputs((i) => ({ ...i, attributes: e.target.value }))}
            rows={2}
            placeholder={"tenant=acme\nsupplier=Northwind"}
            className={clsx(selectClass, "font-mono")}
            aria-describedby="sim-attributes-hint"
          />
          <p id="sim-attributes-hint" className="mt-1 text-xs text-muted">
            One key=value per line. <code>tenant</code> takes a tenant&apos;s slug.
          </p>
          {Object.entries(errors)
            .filter(([k]) => k.startsWith("resource.attributes"))
            .map(([k, m]) => (
              <p key={k} className="mt-1 text-sm text-red-600 dark:text-red-400">
                {m[0]}
              </p>
            ))}
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Context</legend>
          <div className="mt-1 grid grid-cols-2 gap-3">
            {CONTEXT_KEYS.map((key) => (
              <Field
                key={key}
                id={`sim-context-${key}`}
                label={CONTEXT_LABELS[key]}
                value={inputs.context[key] ?? ""}
                onChange={(e) => setContext(key, e.target.value)}
                inputMode={CONTEXT_FIELD_TYPES[key] === "Long" ? "numeric" : undefined}
                error={err(`context.${key}`)}
              />
            ))}
          </div>
        </fieldset>
        {formError ? (
          <p role="alert" className="text-sm text-red-600 dark:text-red-400">
            {formError}
          </p>
        ) : null}
        <Button type="submit" variant="secondary" disabled={pending || agents.length === 0}>
          {pending ? "Simulating…" : "Simulate"}
        </Button>
        {agents.length === 0 ? <p className="text-sm text-muted">This tenant has no agents to simulate with.</p> : null}
      </form>
      {answer ? <SimulationAnswer answer={answer.result} stale={answer.text !== (draft?.text ?? null)} /> : null}
    </Card>
  );
}
