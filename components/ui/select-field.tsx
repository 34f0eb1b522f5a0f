import clsx from "clsx";
import type { SelectHTMLAttributes } from "react";

/** A labelled select with its validation message underneath, wired for screen readers. */
export function SelectField({
  label,
  error,
  id,
  className,
  options,
  placeholder,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  id: string;
  error?: string;
  options: readonly { value: string; label: string }[];
  placeholder?: string;
}) {
  const errorId = `${id}-error`;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className={clsx(
          "mt-1 block w-full rounded-md bg-white px-3 py-2 text-sm ring-1 ring-inset focus:ring-2 focus:ring-indigo-600 focus:outline-none dark:bg-slate-900",
          error ? "text-red-900 ring-red-400 dark:text-red-200" : "ring-slate-300 dark:ring-slate-700",
        )}
        {...props}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error ? (
        <p id={errorId} className="mt-1 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
