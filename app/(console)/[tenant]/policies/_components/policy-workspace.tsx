"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClass } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { type Problem, problemsFromMessages } from "@/lib/policy-problems";
import { createPolicyAction, updatePolicyAction } from "../actions";
import { CedarEditor } from "./cedar-editor";
import { CheckStatus } from "./check-status";
import { useSimulatorMemory } from "./simulator-memory";
import { type SimulatorAgent, SimulatorPanel } from "./simulator-panel";
import { problemsOf, usePolicyCheck } from "./use-policy-check";

export interface PolicyValues {
  name: string;
  description: string;
  text: string;
  enabled: boolean;
}

const inputClass =
  "mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900 dark:ring-slate-700";

/**
 * The policy editor: its fields, the Cedar text validated as it is typed, and a simulator that
 * runs the draft. New policies are created; existing ones are saved as a new version.
 */
export function PolicyWorkspace({
  tenant,
  policy,
  initial,
  canWrite,
  canWriteGlobal,
  agents,
  actions,
  simulatorDefaults,
  schemaHelp,
}: {
  tenant: { slug: string; name: string };
  policy: { id: string; version: number } | null;
  initial: PolicyValues;
  canWrite: boolean;
  canWriteGlobal: boolean;
  agents: SimulatorAgent[];
  actions: string[];
  simulatorDefaults: { action: string; resourceType: string };
  schemaHelp: ReactNode;
}) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const [synced, setSynced] = useState(policy?.version);
  const [scope, setScope] = useState<"tenant" | "global">("tenant");
  const [note, setNote] = useState("");
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saveProblems, setSaveProblems] = useState<{ text: string; problems: Problem[] } | null>(null);
  const [pending, setPending] = useState(false);
  const check = usePolicyCheck(values.text, canWrite);
  const simulatorMemory = useSimulatorMemory();

  // A new version arrived (saved here, rolled back or toggled): the editor shows it.
  if (policy && policy.version !== synced) {
    setSynced(policy.version);
    setValues(initial);
  }

  // An edit answers the last save's message about that field, so it goes.
  const set = <K extends keyof PolicyValues>(key: K, value: PolicyValues[K]) => {
    setNotice(null);
    setFormError(null);
    setErrors(({ [key]: _, ...rest }) => rest);
    setValues((v) => ({ ...v, [key]: value }));
  };
  const dirty =
    values.name !== initial.name || values.description !== initial.description || values.text !== initial.text;
  const problems = saveProblems?.text === values.text ? saveProblems.problems : problemsOf(check);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setNotice(null);
    const result = policy
      ? await updatePolicyAction(policy.id, {
          name: values.name,
          description: values.description,
          text: values.text,
          note,
        })
      : await createPolicyAction({
          name: values.name,
          description: values.description,
          tenant: scope === "global" ? null : tenant.slug,
          text: values.text,
          enabled: values.enabled,
        });
    setPending(false);
    if (!result.ok) {
      setErrors(result.fieldErrors ?? {});
      setFormError(result.error);
      setSaveProblems(
        result.fieldErrors?.text
          ? { text: values.text, problems: problemsFromMessages(result.fieldErrors.text) }
          : null,
      );
      return;
    }
    setErrors({});
    setFormError(null);
    setSaveProblems(null);
    if (!policy) {
      const { id } = result.data as { id: string };
      simulatorMemory?.adopt(tenant.slug, id);
      router.push(`/${tenant.slug}/policies/${id}`);
      return;
    }
    setNote("");
    setNotice(`Saved as version ${(result.data as { version: number }).version}.`);
    router.refresh();
  }

  const err = (k: string) => errors[k]?.[0];
  return (
    <div className="grid items-start gap-4 xl:grid-cols-5">
      <Card className="xl:col-span-3">
        <form onSubmit={onSubmit} noValidate aria-label={policy ? "Edit policy" : "New policy"} className="space-y-5">
          {formError ? (
            <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
              {formError}
            </p>
          ) : null}
          {notice ? (
            <p
              role="status"
              className="rounded-md bg-emerald-50 p-3 text-sm text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
            >
              {notice}
            </p>
          ) : null}
          {/* Readers see the name and description in the page header. */}
          {canWrite ? (
            <>
              <Field
                id="policy-name"
                label="Name"
                value={values.name}
                onChange={(e) => set("name", e.target.value)}
                error={err("name")}
                placeholder="Refunds need approval"
              />
              <div>
                <label
                  htmlFor="policy-description"
                  className="block text-sm font-medium text-slate-700 dark:text-slate-300"
                >
                  Description
                </label>
                <textarea
                  id="policy-description"
                  value={values.description}
                  onChange={(e) => set("description", e.target.value)}
                  rows={2}
                  placeholder="Why this policy exists, in a sentence."
                  className={inputClass}
                />
                {err("description") ? (
                  <p className="mt-1 text-sm text-red-600 dark:text-red-400">{err("description")}</p>
                ) : null}
              </div>
            </>
          ) : null}
          {policy ? null : (
            <div className="grid gap-5 sm:grid-cols-2">
              <fieldset>
                <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Applies in</legend>
                <div className="mt-2 space-y-1.5 text-sm">
                  <label className="flex items-center gap-2">
                    <input
                      type="radio"
                      name="scope"
                      checked={scope === "tenant"}
                      onChange={() => setScope("tenant")}
                      className="accent-indigo-600"
                    />
                    {tenant.name} only
                  </label>
                  {canWriteGlobal ? (
                    <label className="flex items-center gap-2">
                      <input
                        type="radio"
                        name="scope"
                        checked={scope === "global"}
                        onChange={() => setScope("global")}
                        className="accent-indigo-600"
                      />
                      Global: every tenant
                    </label>
                  ) : null}
                </div>
                {err("tenant") ? <p className="mt-1 text-sm text-red-600 dark:text-red-400">{err("tenant")}</p> : null}
              </fieldset>
              <div>
                <p className="text-sm font-medium text-slate-700 dark:text-slate-300">State</p>
                <label className="mt-2 flex items-start gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={values.enabled}
                    onChange={(e) => set("enabled", e.target.checked)}
                    className="mt-0.5 size-4 accent-indigo-600"
                  />
                  <span>
                    Enabled
                    <span className="block text-xs text-muted">Takes part in decisions as soon as it is saved.</span>
                  </span>
                </label>
              </div>
            </div>
          )}
          <CedarEditor
            id="policy-text"
            label="Policy (Cedar)"
            value={values.text}
            onChange={(text) => set("text", text)}
            problems={problems}
            readOnly={!canWrite}
            status={canWrite ? <CheckStatus state={check} /> : <Badge>Read only</Badge>}
            hint={
              canWrite
                ? "One permit or forbid statement. Tab indents; press Esc, then Tab, to leave the editor."
                : undefined
            }
          />
          {schemaHelp}
          {canWrite ? (
            <>
              {policy ? (
                <Field
                  id="policy-note"
                  label="Change note (optional, kept in the history)"
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  error={err("note")}
                  maxLength={500}
                  placeholder="Why this change"
                />
              ) : null}
              <div className="flex flex-wrap items-center gap-2">
                <Button type="submit" disabled={pending || (!!policy && !dirty)}>
                  {pending ? "Saving…" : policy ? "Save" : "Create policy"}
                </Button>
                <Link href={`/${tenant.slug}/policies`} className={buttonClass("secondary")}>
                  {policy ? "Back to policies" : "Cancel"}
                </Link>
                {policy && !dirty ? <span className="text-xs text-muted">No unsaved changes.</span> : null}
                {policy && dirty ? (
                  <span className="text-xs text-muted">Saving makes version {policy.version + 1}.</span>
                ) : null}
              </div>
            </>
          ) : null}
        </form>
      </Card>
      <div className="xl:col-span-2">
        <SimulatorPanel
          tenant={tenant.slug}
          agents={agents}
          actions={actions}
          draft={canWrite ? { policyId: policy?.id, name: values.name || "New policy", text: values.text } : null}
          defaults={simulatorDefaults}
        />
      </div>
    </div>
  );
}
