import { AdminNav } from "@/components/admin-console/admin-nav";
import { requireAdmin } from "@/lib/auth/session";

// Second line of defence after proxy.ts, for full page loads. A client-side navigation
// inside /admin does not run the layout again, so every page also calls requireAdmin itself (SEC-1).
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  await requireAdmin();
  return (
    <>
      <AdminNav />
      {children}
    </>
  );
}
