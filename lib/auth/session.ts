import { cache } from "react";
import { getServerSession } from "next-auth";
import { notFound, redirect } from "next/navigation";
import { db } from "../db";
import { authOptions } from "./options";
import { toPublic, type PublicUser } from "./users";

/**
 * The signed-in user, read fresh from the database once per request, so a role
 * change or a ban takes effect at once even though the session is a JWT.
 */
export const getCurrentUser = cache(async (): Promise<PublicUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db().user.findUnique({ where: { id } });
  if (!user || user.status === "banned") return null;
  return toPublic(user);
});

export async function requireUser(): Promise<PublicUser> {
  const user = await getCurrentUser();
  if (!user) redirect("/sign-in");
  return user;
}

/** Admin pages answer 404 to everyone else: they do not even confirm they exist. */
export async function requireAdmin(): Promise<PublicUser> {
  const user = await getCurrentUser();
  if (!user || user.role !== "admin") notFound();
  return user;
}
