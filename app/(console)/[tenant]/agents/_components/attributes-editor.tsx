"use client";

import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";

export type AttributeKind = "text" | "number" | "boolean";
export interface AttributeRow {
  key: string;
  value: string;
  kind: AttributeKind;
}

export function rowsOf(attributes: Record<string, string | number | boolean>): AttributeRow[] {
  return Object.entries(attributes).map(([key, value]) => ({
    key,
    value: String(value),
    kind: typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "text",
  }));
}

/**
 * The attributes as policies read them. Rows that cannot be read (a number that is not one, a
 * name given twice) are reported by their name, like the server's own errors, so that every
 * field's error shows at once.
 */
export function attributesOf(rows: AttributeRow[]): {
  attributes: Record<string, string | number | boolean>;
  errors: Record<string, string[]>;
} {
  const attributes: Record<string, string | number | boolean> = {};
  const errors: Record<string, string[]> = {};
  rows.forEach((row, i) => {
    const key = row.key.trim();
    if (!key && !row.value.trim()) return;
    const at = `attributes.${key || `row ${i + 1}`}`;
    if (!key) errors[at] = ["Give the attribute a name."];
    else if (key in attributes) errors[at] = ["This name is used twice."];
    else if (row.kind === "number") {
      const n = Number(row.value);
      if (row.value.trim() === "" || !Number.isFinite(n)) errors[at] = ["Enter a number."];
      else attributes[key] = n;
    } else if (row.kind === "boolean") attributes[key] = row.value === "true";
    else attributes[key] = row.value;
  });
  return { attributes, errors };
}

const input =
  "block w-full rounded-md bg-white px-2.5 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900 dark:ring-slate-700";

/** A key/value editor for an agent's attributes (text, number or true/false each). */
export function AttributesEditor({
  rows,
  onChange,
  errors,
}: {
  rows: AttributeRow[];
  onChange: (rows: AttributeRow[]) => void;
  errors: Record<string, string[]>;
}) {
  const set = (i: number, patch: Partial<AttributeRow>) =>
    onChange(
      rows.map((r, j) => (j === i ? { ...r, ...patch, ...(patch.kind === "boolean" ? { value: "true" } : {}) } : r)),
    );
  const general = errors.attributes?.[0];
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Attributes (read by policies)</legend>
      <p className="text-xs text-muted">
        Policies read them as <code>principal.getTag("name")</code>; for example team = finance, or dataClass =
        confidential.
      </p>
      {rows.length ? (
        <ul className="mt-2 space-y-2" aria-label="Attributes">
          {rows.map((row, i) => {
            const error = errors[`attributes.${row.key.trim() || `row ${i + 1}`}`]?.[0];
            const label = row.key.trim() || `attribute ${i + 1}`;
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
              <li key={i}>
                <div className="flex flex-wrap items-center gap-2">
                  <input
                    aria-label={`Name of ${label}`}
                    value={row.key}
                    onChange={(e) => set(i, { key: e.target.value })}
                    placeholder="name"
                    className={`${input} w-40 flex-none font-mono`}
                    aria-invalid={error ? true : undefined}
                  />
                  <select
                    aria-label={`Type of ${label}`}
                    value={row.kind}
                    onChange={(e) => set(i, { kind: e.target.value as AttributeKind })}
                    className={`${input} w-28 flex-none`}
                  >
                    <option value="text">Text</option>
                    <option value="number">Number</option>
                    <option value="boolean">True/false</option>
                  </select>
                  {row.kind === "boolean" ? (
                    <select
                      aria-label={`Value of ${label}`}
                      value={row.value}
                      onChange={(e) => set(i, { value: e.target.value })}
                      className={`${input} min-w-0 flex-1`}
                    >
                      <option value="true">true</option>
                      <option value="false">false</option>
                    </select>
                  ) : (
                    <input
                      aria-label={`Value of ${label}`}
                      value={row.value}
                      inputMode={row.kind === "number" ? "decimal" : undefined}
                      onChange={(e) => set(i, { value: e.target.value })}
                      placeholder="value"
                      className={`${input} min-w-0 flex-1`}
                      aria-invalid={error ? true : undefined}
                    />
                  )}
                  <Button
                    variant="ghost"
                    aria-label={`Remove ${label}`}
                    onClick={() => onChange(rows.filter((_, j) => j !== i))}
                  >
                    <Trash2 className="size-4" aria-hidden />
                  </Button>
                </div>
                {error ? <p className="mt-1 text-sm text-red-600 dark:text-red-400">{`${label}: ${error}`}</p> : null}
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-muted">No attributes.</p>
      )}
      {general ? <p className="mt-1 text-sm text-red-600 dark:text-red-400">{general}</p> : null}
      <Button
        variant="secondary"
        className="mt-2"
        onClick={() => onChange([...rows, { key: "", value: "", kind: "text" }])}
      >
        <Plus className="size-4" aria-hidden /> Add attribute
      </Button>
    </fieldset>
  );
}
