const STYLE = {
  open: "border-amber-400 bg-amber-50 text-amber-950",
  review_requested: "border-sky-400 bg-sky-50 text-sky-950",
  upheld: "border-red-300 bg-red-50 text-red-900",
  reversed: "border-green-300 bg-green-50 text-green-900",
} as const;

/** A violation's state as a small label; the colour only repeats what the words say. */
export function ViolationStateBadge({ state, label }: { state: string; label: string }) {
  const style = STYLE[state as keyof typeof STYLE] ?? "border-slate-300 bg-white text-slate-800";
  return <span className={`rounded-full border px-2 text-xs font-medium ${style}`}>{label}</span>;
}
