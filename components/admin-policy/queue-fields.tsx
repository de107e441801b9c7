import type { ActionResult } from "@/lib/http/action-result";

export type PolicyAction = (prev: unknown, form: FormData) => Promise<ActionResult>;
export type Filter = { rule?: string; state: string; user?: string };

/** The queue's current filter, carried by a decision so the admin comes back to the same view. */
export function QueueFields({ filter }: { filter: Filter }) {
  return (
    <>
      {filter.rule && <input type="hidden" name="rule" value={filter.rule} />}
      <input type="hidden" name="state" value={filter.state} />
      {filter.user && <input type="hidden" name="user" value={filter.user} />}
    </>
  );
}
