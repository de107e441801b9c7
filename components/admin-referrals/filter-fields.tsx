import type { ActionResult } from "@/lib/http/action-result";

export type ReviewAction = (prev: unknown, form: FormData) => Promise<ActionResult>;

/** The queue's current filter, carried by a decision so the admin comes back to the same view. */
export function FilterFields({ filter }: { filter: { rule?: string; state: string } }) {
  return (
    <>
      {filter.rule && <input type="hidden" name="rule" value={filter.rule} />}
      <input type="hidden" name="state" value={filter.state} />
    </>
  );
}
