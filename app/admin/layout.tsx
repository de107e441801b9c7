import { AdminNav } from "@/components/admin-console/admin-nav";
import { requireAdmin } from "@/lib/auth/session";

// Second line of defence after proxy.ts: checks the role in the database on every request.
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return (
    <>
      <AdminNav />
      {children}
    </>
  );
}
