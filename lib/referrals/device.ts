import { createHash } from "node:crypto";
import { isIP } from "node:net";
import { z } from "zod";

/**
 * Where a visitor or account was seen: the network and the device, as the
 * fraud rules compare them. Addresses in one /24 (IPv4) or /64 (IPv6) count as
 * one network, as a household or office shares one. The device is a hash of
 * what the browser tells about itself (components/device-fingerprint.ts sends
 * it); without one, the user agent and languages stand in, which is weaker and
 * marked so.
 */
export type Sighting = { ip: string; network: string; device: string; userAgent: string };

export const deviceSchema = z.string().regex(/^[a-f0-9]{32,64}$/);

export function networkOf(ip: string): string {
  const bare = ip.replace(/^::ffff:/, "");
  if (isIP(bare) === 4) return `${bare.split(".").slice(0, 3).join(".")}.0/24`;
  if (isIP(bare) === 6) {
    const groups = expandV6(bare);
    return `${groups.slice(0, 4).join(":")}::/64`;
  }
  return "unknown";
}

function expandV6(ip: string): string[] {
  const [head, tail = ""] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const fill = ip.includes("::") ? Array(8 - h.length - t.length).fill("0") : [];
  return [...h, ...fill, ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ""));
}

export function sightingOf(input: {
  ip: string;
  userAgent?: string | null;
  acceptLanguage?: string | null;
  device?: string | null;
}): Sighting {
  const userAgent = (input.userAgent ?? "").slice(0, 300);
  const given = deviceSchema.safeParse(input.device);
  const device = given.success
    ? given.data
    : `ua:${createHash("sha256")
        .update(`${userAgent}|${input.acceptLanguage ?? ""}`)
        .digest("hex")
        .slice(0, 32)}`;
  return { ip: input.ip, network: networkOf(input.ip), device, userAgent };
}
