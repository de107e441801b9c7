import type { DefaultSession } from "next-auth";

declare module "next-auth" {
  interface Session {
    user: { id: string; role: "subscriber" | "admin"; sessionVersion?: number } & DefaultSession["user"];
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    role?: "subscriber" | "admin";
    /** SEC-1: the account's session version at sign-in (lib/auth/session-gate.ts). */
    sv?: number;
  }
}
