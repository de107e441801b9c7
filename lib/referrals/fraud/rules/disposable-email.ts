import MailChecker from "mailchecker";
import { defineFraudRule } from "../define";

// mailchecker (FGRibreau) ships a maintained list of over 50,000 throw-away
// mail domains, updated in new releases: a list we do not have to keep.
const disposable: Set<string> = MailChecker.blacklist();

/** The domain and every parent of it ("a.b.mailinator.com" → "b.mailinator.com", "mailinator.com"). */
function domainsOf(email: string): string[] {
  const parts = email
    .slice(email.lastIndexOf("@") + 1)
    .toLowerCase()
    .split(".");
  return parts.slice(0, -1).map((_, i) => parts.slice(i).join("."));
}

export function isDisposableEmail(email: string): boolean {
  return domainsOf(email).some((d) => disposable.has(d));
}

/** The friend signed up with a throw-away address. */
export const disposableEmail = defineFraudRule({
  type: "disposable_email",
  stages: ["signup", "payment", "issuance"],
  evaluate(facts) {
    return isDisposableEmail(facts.friend.email)
      ? { email: facts.friend.email, domain: facts.friend.email.split("@").pop() }
      : null;
  },
});
