import { headers } from "next/headers";
import { isProduction } from "../config/env";
import { isLoopback } from "./client-address";
import { clientIp } from "./client-ip";

/**
 * SEC-4: the demo's surfaces (the development mailbox, the movable clock,
 * demo accounts, the local model responder) exist only outside production
 * and answer only to this machine: anyone who can read the mailbox can sign
 * in as anyone, so it must not be reachable over a network even in a demo.
 */
export function demoSurfaceOpenTo(address: string, production: boolean): boolean {
  return !production && isLoopback(address);
}

/** The same judgement for the request being served (pages, actions). */
export async function demoSurfaceOpen(): Promise<boolean> {
  return demoSurfaceOpenTo(clientIp(await headers()), isProduction());
}
