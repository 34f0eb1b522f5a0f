"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createAgentSchema, ENVIRONMENTS, TOKEN_TTL, updateAgentSchema } from "@/lib/schemas/agents";
import { fieldErrors } from "@/lib/validation";
import { createAgentAction, updateAgentAction } from "../actions";
import { type AttributeRow, AttributesEditor, attributesOf, rowsOf } from "./attributes-editor";
import { DelegationFields } from "./delegation-fields";

export interface AgentFormValues {
  name: string;
  description: string;
  owner: string;
  backup_owner: string;
  environment: string;
  attributes: Record<string, string | number | boolean>;
  /** One URL per line. */
  redirect_uris: string;
  token_ttl_seconds: string;
  /** null: any agent of the tenant may act on its tokens; a list: only these. */
  may_delegate_to?: string[] | null;
  /** Its access tokens must be bound to a key (DPoP, RFC 9449). */
  dpop_required?: boolean;
}

const selectClass =
  "mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm ring-1 ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900 dark:ring-slate-700";

/** Register or edit an agent; the server's validation messages land on their fields. */
export function AgentForm({
  tenantSlug,
  people,
  initial,
  agentId,
  delegateChoices,
  tenantDpopRequired = false,
}: {
  tenantSlug: string;
  people: { id: string; name: string; email: string }[];
  initial?: AgentFormValues;
  agentId?: string;
  /** The agents it may delegate to, when the form offers the Delegation section. */
  delegateChoices?: { id: string; name: string }[];
  /** The tenant requires DPoP of every agent: the agent's own setting is then moot. */
  tenantDpopRequired?: boolean;
}) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const v = initial ?? {
    name: "",
    description: "",
    owner: "",
    backup_owner: "",
    environment: "development",
    attributes: {},
    redirect_uris: "",
    token_ttl_seconds: String(TOKEN_TTL.default),
  };
  const [uris, setUris] = useState<string[]>([]);
  const [rows, setRows] = useState<AttributeRow[]>(() => rowsOf(v.attributes));
  const [delegates, setDelegates] = useState<string[] | null>(v.may_delegate_to ?? null);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    // Attributes that cannot be read are reported with every other field's errors, not instead of them.
    const { attributes, errors: local } = attributesOf(rows);
    const redirectUris = String(form.get("redirect_uris") ?? "")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    setUris(redirectUris);
    const values = {
      name: String(form.get("name") ?? ""),
      description: String(form.get("description") ?? ""),
      owner: String(form.get("owner") ?? ""),
      backup_owner: String(form.get("backup_owner") ?? "") || null,
      environment: String(form.get("environment") ?? "") as never,
      attributes: attributes as never,
      redirect_uris: redirectUris,
      token_ttl_seconds: String(form.get("token_ttl_seconds") ?? ""),
      dpop_required: form.get("dpop_required") === "on",
      ...(delegateChoices ? { may_delegate_to: delegates } : {}),
    };
    if (Object.keys(local).length) {
      // Nothing is sent while an attribute cannot be read; the other fields are checked here by the
      // same schema the server uses, so that every error shows at once.
      const schema = agentId ? updateAgentSchema : createAgentSchema;
      const checked = schema.safeParse({ ...values, attributes: {}, tenant: tenantSlug });
      setErrors({ ...(checked.success ? {} : fieldErrors(checked.error.issues)), ...local });
      setFormError("Some fields are not valid.");
      return;
    }
    setPending(true);
    const result = agentId
      ? await updateAgentAction(agentId, values)
      : await createAgentAction({ ...values, tenant: tenantSlug });
    setPending(false);
    if (!result.ok) {
      setErrors(result.fieldErrors ?? {});
      setFormError(result.error);
      return;
    }
    const id = agentId ?? (result.data as { id: string }).id;
    router.push(`/${tenantSlug}/agents/${id}`);
    router.refresh();
  }

  const err = (k: string) => errors[k]?.[0];
  // "redirect_uris.2" names the third URL sent: say which one, since line numbers shift with blank lines.
  const redirectErrors = Object.entries(errors)
    .filter(([k]) => k === "redirect_uris" || k.startsWith("redirect_uris."))
    .map(([k, m]) => {
      const uri = uris[Number(k.split(".")[1])];
      return uri !== undefined && k !== "redirect_uris" ? `${uri}: ${m[0]}` : m[0];
    });
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      className="max-w-xl space-y-5"
      aria-label={agentId ? "Edit agent" : "Register agent"}
    >
      {formError ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {formError}
        </p>
      ) : null}
      <Field id="name" name="name" label="Name" defaultValue={v.name} error={err("name")} placeholder="invoice-bot" />
      <div>
        <label htmlFor="description" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
          Description
        </label>
        <textarea id="description" name="description" defaultValue={v.description} rows={2} className={selectClass} />
        {err("description") ? <p className="mt-1 text-sm text-red-600">{err("description")}</p> : null}
      </div>
      {(["owner", "backup_owner"] as const).map((field) => (
        <div key={field}>
          <label htmlFor={field} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            {field === "owner" ? "Accountable owner" : "Backup owner (optional)"}
          </label>
          <select
            id={field}
            name={field}
            defaultValue={v[field]}
            className={selectClass}
            aria-invalid={err(field) ? true : undefined}
            aria-describedby={err(field) ? `${field}-error` : undefined}
          >
            <option value="">{field === "owner" ? "Choose a person" : "None"}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({p.email})
              </option>
            ))}
          </select>
          {err(field) ? (
            <p id={`${field}-error`} className="mt-1 text-sm text-red-600 dark:text-red-400">
              {err(field)}
            </p>
          ) : null}
        </div>
      ))}
      <div>
        <label htmlFor="environment" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
          Environment
        </label>
        <select id="environment" name="environment" defaultValue={v.environment} className={selectClass}>
          {ENVIRONMENTS.map((e) => (
            <option key={e} value={e}>
              {e[0].toUpperCase() + e.slice(1)}
            </option>
          ))}
        </select>
        {err("environment") ? <p className="mt-1 text-sm text-red-600">{err("environment")}</p> : null}
      </div>
      <AttributesEditor rows={rows} onChange={setRows} errors={errors} />
      <fieldset className="space-y-5 border-t border-slate-200 pt-5 dark:border-slate-800">
        <legend className="float-left mb-3 text-sm font-semibold">OAuth client</legend>
        <div className="clear-left">
          <label htmlFor="redirect_uris" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            Redirect URIs (one per line, optional)
          </label>
          <p id="redirect_uris-hint" className="text-xs text-muted">
            Where people are sent back after letting the agent act for them (authorization code + PKCE). Exact https
            URLs; http only for localhost.
          </p>
          <textarea
            id="redirect_uris"
            name="redirect_uris"
            defaultValue={v.redirect_uris}
            rows={3}
            placeholder="https://agent.example.com/oauth/callback"
            className={`${selectClass} font-mono`}
            aria-invalid={redirectErrors.length ? true : undefined}
            aria-describedby={redirectErrors.length ? "redirect_uris-hint redirect_uris-error" : "redirect_uris-hint"}
          />
          {redirectErrors.length ? (
            <ul id="redirect_uris-error" className="mt-1 space-y-0.5 text-sm text-red-600 dark:text-red-400">
              {redirectErrors.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          ) : null}
        </div>
        <Field
          id="token_ttl_seconds"
          name="token_ttl_seconds"
          label={`Access-token lifetime in seconds (${TOKEN_TTL.min} to ${TOKEN_TTL.max})`}
          type="number"
          inputMode="numeric"
          min={TOKEN_TTL.min}
          max={TOKEN_TTL.max}
          step={1}
          defaultValue={v.token_ttl_seconds}
          error={err("token_ttl_seconds")}
          className="sm:w-96"
        />
        <div>
          <label className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              id="dpop_required"
              name="dpop_required"
              defaultChecked={v.dpop_required ?? false}
              className="mt-0.5 size-4 accent-indigo-600"
              aria-describedby="dpop_required-hint"
            />
            <span>
              <span className="font-medium">Require DPoP-bound tokens</span>
              <span id="dpop_required-hint" className="block text-slate-600 dark:text-slate-400">
                Token requests must carry a DPoP proof (RFC 9449); each token then works only with fresh proofs by the
                agent&apos;s key, so a stolen token is useless without it.
                {tenantDpopRequired ? " The tenant already requires this of every agent." : ""}
              </span>
            </span>
          </label>
          {err("dpop_required") ? <p className="mt-1 text-sm text-red-600">{err("dpop_required")}</p> : null}
        </div>
      </fieldset>
      {delegateChoices ? (
        <DelegationFields
          agents={delegateChoices}
          value={delegates}
          onChange={setDelegates}
          error={Object.entries(errors).find(([k]) => k.startsWith("may_delegate_to"))?.[1][0]}
        />
      ) : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : agentId ? "Save changes" : "Register agent"}
        </Button>
        <Button variant="secondary" onClick={() => router.back()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
