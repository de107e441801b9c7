import { eachEvent, type EventHandler } from "./types";

/** A card was saved (possibly after 3-D Secure in another tab): it becomes the card renewals charge. */
export const setupIntentSucceeded: EventHandler<"setup_intent.succeeded"> = eachEvent(async (deps, event) => {
  const si = event.data.object;
  const userId = si.metadata?.user_id;
  if (!userId) return "not_ours";
  const known = await deps.db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!known) return "unknown_user";
  return (await deps.port.setupStatus(userId, si.id)).status;
});
