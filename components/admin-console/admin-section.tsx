/**
 * One titled card of an admin page. `scrolls` is for tables: the card scrolls
 * sideways on phones, and a region that scrolls must be reachable by keyboard
 * (hence the tabIndex).
 */
export function AdminSection({
  id,
  title,
  scrolls,
  children,
}: {
  id: string;
  title: React.ReactNode;
  scrolls?: boolean;
  children: React.ReactNode;
}) {
  return (
    <section
      className={`card space-y-3 ${scrolls ? "overflow-x-auto" : ""}`}
      aria-labelledby={id}
      tabIndex={scrolls ? 0 : undefined}
    >
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Label and value pairs that stay two columns even at phone width; long values (e-mails, ids) wrap anywhere. */
export function Facts({ items }: { items: [label: string, value: React.ReactNode, testId?: string][] }) {
  return (
    <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
      {items.map(([label, value, testId]) => (
        <div key={label} className="contents">
          <dt className="text-slate-600">{label}</dt>
          <dd className="break-words [overflow-wrap:anywhere]" data-testid={testId}>
            {value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
