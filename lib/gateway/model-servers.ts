import type { Env } from "../config/env";
import type { Wire } from "./wire";

/** A model server the operator configured: a base URL as the wire's official SDK takes it, and its key. */
export type ModelServer = { wire: Wire; url: string; apiKey: string | null };

export type ModelServers = {
  anthropic: ModelServer | null;
  openai: ModelServer | null;
  /** GATE-2: only outside production may the local responder answer, and only when no server is configured. */
  local: boolean;
  /** Our model names (lower case) → the model server's. */
  modelMap: ReadonlyMap<string, string>;
  connectTimeoutMs: number;
  idleTimeoutMs: number;
};

/** Where a call on `wire` goes: its own server, the other wire's (translated), the local responder, or nowhere (GATE-2). */
export type Route = { target: ModelServer; translate: boolean } | { target: "local"; translate: false } | null;

export function modelServersOf(config: Env): ModelServers {
  const server = (wire: Wire, url: string | undefined, apiKey: string | undefined): ModelServer | null =>
    url ? { wire, url: url.replace(/\/+$/, ""), apiKey: apiKey ?? null } : null;
  const anthropic = server("anthropic", config.UPSTREAM_ANTHROPIC_URL, config.UPSTREAM_ANTHROPIC_KEY);
  const openai = server("openai", config.UPSTREAM_OPENAI_URL, config.UPSTREAM_OPENAI_KEY ?? config.UPSTREAM_API_KEY);
  return {
    anthropic,
    openai,
    local: config.APP_ENV !== "production" && !anthropic && !openai,
    modelMap: config.UPSTREAM_MODEL_MAP,
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    idleTimeoutMs: config.UPSTREAM_IDLE_TIMEOUT_MS,
  };
}

export function routeFor(servers: ModelServers, wire: Wire): Route {
  const own = servers[wire];
  if (own) return { target: own, translate: false };
  const other = servers[wire === "anthropic" ? "openai" : "anthropic"];
  if (other) return { target: other, translate: true };
  return servers.local ? { target: "local", translate: false } : null;
}

/** One line for the start-up log: which model server answers each wire. */
export function describeModelServers(servers: ModelServers): string {
  if (servers.local)
    return "model servers: none configured, the local responder answers both wires (never in production)";
  const one = (wire: Wire) => {
    const route = routeFor(servers, wire);
    if (!route) return `${wire}: none (503)`;
    return route.target === "local"
      ? `${wire}: local`
      : `${wire}: ${route.target.url}${route.translate ? ` (translated to ${route.target.wire})` : ""}`;
  };
  if (!servers.anthropic && !servers.openai)
    return "model servers: NONE configured — the coding and pay-as-you-go model endpoints answer 503 until UPSTREAM_ANTHROPIC_URL or UPSTREAM_OPENAI_URL is set";
  return `model servers: ${one("anthropic")}; ${one("openai")}`;
}
