/**
 * The reason an admin gives for a decision (the action says when it is
 * required). Its error is an alert, and the input points at it, so a refusal
 * is announced and the field says why it is invalid.
 */
export function ReasonField({
  id,
  label,
  help,
  error,
}: {
  id: string;
  label: React.ReactNode;
  help: string;
  error?: string;
}) {
  const describedBy = [`${id}-help`, error && `${id}-error`].filter(Boolean).join(" ");
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <input
        id={id}
        name="reason"
        className="field"
        maxLength={500}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
      <p id={`${id}-help`} className="mt-1 text-sm text-slate-600">
        {help}
      </p>
      {error && (
        <p id={`${id}-error`} role="alert" className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
