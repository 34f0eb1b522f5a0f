import clsx from "clsx";
import type { InputHTMLAttributes } from "react";

/** A labelled input with its validation message underneath, wired for screen readers. */
export function Field({
  label,
  error,
  id,
  className,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { label: string; id: string; error?: string }) {
  const errorId = `${id}-error`;
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        className={clsx(
          "mt-1 block w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-xs ring-1 ring-inset dark:bg-slate-900",
          "placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:outline-none",
          error
            ? "text-red-900 ring-red-400 focus:ring-red-500 dark:text-red-200"
            : "ring-slate-300 focus:ring-indigo-600 dark:ring-slate-700",
        )}
        {...props}
      />
      {error ? (
        <p id={errorId} className="mt-1 text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </div>
  );
}
