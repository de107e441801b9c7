/**
 * A labelled input with its optional help and error text, wired for screen
 * readers: the input points at whichever of them is shown (aria-describedby)
 * and is marked invalid when there is an error.
 */
export function TextField({
  id,
  label,
  error,
  help,
  ...input
}: { id: string; label: string; error?: string; help?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const describedBy = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        className="field"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {help && (
        <p id={`${id}-help`} className="mt-1 text-sm text-slate-600">
          {help}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
