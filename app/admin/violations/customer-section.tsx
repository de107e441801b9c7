import { CustomerPolicy } from "@/components/admin-policy/customer-policy";
import { appClock } from "@/lib/clock";
import { violationsFor } from "@/lib/policy/face";
import { liftBanAction } from "./actions";

/**
 * The usage-policy section of /admin/customers/<id>, loading its own data so
 * the customer page needs only one line for it. `notice` is that page's
 * ?notice=, which says a ban was just lifted from here.
 */
export async function CustomerPolicySection({
  userId,
  email,
  notice,
}: {
  userId: string;
  email: string;
  notice?: string;
}) {
  const policy = await violationsFor(userId, await appClock().now());
  return (
    <CustomerPolicy
      userId={userId}
      email={email}
      policy={policy}
      banLifted={notice === "ban_lifted"}
      liftBanAction={liftBanAction}
    />
  );
}
