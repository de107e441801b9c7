/**
 * A device hash (or card fingerprint) cut to what a person compares by eye;
 * the whole value is in the title. "ua:" marks the weaker user-agent stand-in.
 */
export function DeviceId({ value }: { value: string }) {
  if (!value) return <span>—</span>;
  const short = value.startsWith("ua:") ? value.slice(0, 15) : value.slice(0, 12);
  return (
    <code className="rounded bg-slate-100 px-1 text-xs text-slate-800" title={value}>
      {short}
      {short.length < value.length && "…"}
    </code>
  );
}
