import { getCurrentUser } from "@/lib/auth/session";
import { appBillingDeps } from "@/lib/billing";
import { withApiErrors } from "@/lib/http/api-error";
import { safeRedirectPath } from "@/lib/http/safe-redirect";
import { confirmReturnedPayment, confirmReturnedSetup } from "@/lib/payments/return";

export const dynamic = "force-dynamic";

/**
 * Where the processor sends the browser back after 3-D Secure (PAY-1), with
 * `payment_intent` or `setup_intent` in the query. The outcome is read from
 * the processor, not from the query, and recorded the same way a webhook
 * would record it (whichever comes first wins; the other changes nothing).
 */
export const GET = withApiErrors(async (req: Request) => {
  const user = await getCurrentUser();
  const url = new URL(req.url);
  if (!user) return redirectTo(`/sign-in?callbackUrl=${encodeURIComponent(url.pathname + url.search)}`);
  const next = safeRedirectPath(url.searchParams.get("next"), "/subscription");
  const join = next.includes("?") ? "&" : "?";
  const deps = await appBillingDeps();
  const pi = url.searchParams.get("payment_intent");
  const si = url.searchParams.get("setup_intent");
  if (pi) {
    const outcome = await confirmReturnedPayment(deps, user.id, pi);
    return redirectTo(
      outcome.ok
        ? `${next}${join}notice=paid`
        : `${next}${join}failed=payment&reason=${encodeURIComponent(outcome.code)}`,
    );
  }
  if (si) {
    const outcome = await confirmReturnedSetup(deps, user.id, si);
    return redirectTo(
      outcome.ok
        ? `${next}${join}notice=card_saved`
        : `${next}${join}failed=card&reason=${encodeURIComponent(outcome.code)}`,
    );
  }
  return redirectTo(next);
});

/**
 * The answer Next's redirect() gave here (307 to the same relative address), returned rather than
 * thrown, so that the route wrapper does not take it for a failure.
 */
function redirectTo(location: string) {
  return new Response(null, { status: 307, headers: { location } });
}
