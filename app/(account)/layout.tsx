import { requireUser } from "@/lib/auth/session";

// Every account page needs a signed-in user.
export default async function AccountLayout({ children }: { children: React.ReactNode }) {
  await requireUser();
  return children;
}
