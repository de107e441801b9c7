import { discoverPages, discoverRoutes, paramName, urlFor } from "./app-files";
import type { Victims } from "./fixtures";
import { send, sendOversized, type Answer } from "./probe";
import { actionHeaders, discoverActions, formActionBody } from "./server-actions";
import {
  adminFields,
  anonymousFields,
  crossUserFields,
  fillParam,
  isAdmin,
  malformedFields,
  malformedJsonBodies,
  pattern,
  PUBLIC_PAGES,
  PUBLIC_ROUTES,
  REMOTE,
} from "./surface";
import { mustNotFail, mustRefuse, mustRefuseUnread, type Verdict } from "./verdicts";

/** `decisionBase`: the decision server beside the app, which serves the busiest API routes with the same handlers (lib/gateway/decision-server.ts). */
export type SweepContext = {
  base: string;
  decisionBase: string;
  distDir: string;
  attackerCookie: string;
  keySecret: string;
  victims: Victims;
};
export type Attack = { kind: string; run: () => Promise<Answer>; judge: (a: Answer) => Verdict };
/** One route method, page or action with its attacks; the database is fingerprinted before and after each. */
export type Target = { label: string; attacks: Attack[] };

export const OVERSIZED_BYTES = 50 * 1024 * 1024;

export function planSweep(ctx: SweepContext): Target[] {
  // Every API route again on the decision server's port: what it serves must answer as the app does, the rest is not there (404).
  const decision = routeTargets({ ...ctx, base: ctx.decisionBase }).filter((t) => t.label.includes(" /api/"));
  return [
    ...routeTargets(ctx),
    ...decision.map((t) => ({ ...t, label: `decision ${t.label}` })),
    ...pageTargets(ctx),
    ...actionTargets(ctx),
  ];
}

function urlOf(ctx: SweepContext, segments: string[]) {
  return urlFor(segments, (p) =>
    fillParam(
      ctx.victims,
      segments,
      segments.findIndex((s) => paramName(s) === p),
      p,
    ),
  );
}

function routeTargets(ctx: SweepContext): Target[] {
  const anon = { ...REMOTE };
  const attacker = { ...REMOTE, cookie: ctx.attackerCookie };
  const keyed = {
    ...REMOTE,
    authorization: `Bearer ${ctx.keySecret}`,
    "x-api-key": ctx.keySecret,
    "content-type": "application/json",
  };
  return discoverRoutes().flatMap((r) => {
    const path = urlOf(ctx, r.segments);
    const isPublic = pattern(r.segments) in PUBLIC_ROUTES;
    const hasIds = r.segments.some((s) => /^\[\w+\]$/.test(s));
    return r.methods.map((method): Target => {
      const hasBody = method !== "GET" && method !== "HEAD";
      const json = hasBody ? { headers: { "content-type": "application/json" }, body: "{}" } : {};
      const attacks: Attack[] = [
        {
          kind: "anonymous",
          run: () => send(ctx.base, { method, path, headers: { ...anon, ...json.headers }, body: json.body }),
          judge: isPublic ? mustNotFail : mustRefuse,
        },
      ];
      if (!isPublic && (hasIds || isAdmin(r.segments)))
        attacks.push({
          kind: isAdmin(r.segments) ? "subscriber→admin" : "cross-user",
          run: () => send(ctx.base, { method, path, headers: { ...attacker, ...json.headers }, body: json.body }),
          judge: mustRefuse,
        });
      if (hasBody) {
        for (const [name, body] of malformedJsonBodies())
          attacks.push({
            kind: `malformed:${name}`,
            run: () => send(ctx.base, { method, path, headers: { ...keyed, cookie: ctx.attackerCookie }, body }),
            judge: mustRefuse,
          });
        attacks.push({
          kind: "oversized",
          run: () =>
            sendOversized(
              ctx.base,
              { method, path, headers: { ...anon, "content-type": "application/json" } },
              OVERSIZED_BYTES,
            ),
          judge: isPublic ? mustNotFail : mustRefuseUnread(OVERSIZED_BYTES),
        });
      } else {
        const query = `?type=__proto__&from=not-a-date&to[]=x&page=-1&limit=1e309&x=${"z".repeat(4000)}`;
        attacks.push({
          kind: "malformed:query",
          run: () =>
            send(ctx.base, {
              method,
              path: path + query,
              headers: isPublic ? anon : { ...keyed, cookie: ctx.attackerCookie },
            }),
          judge: mustNotFail,
        });
      }
      return { label: `${method} ${pattern(r.segments)}`, attacks };
    });
  });
}

function pageTargets(ctx: SweepContext): Target[] {
  return discoverPages().map((p) => {
    const path = urlOf(ctx, p.segments);
    const isPublic =
      pattern(p.segments).replace(/\/$/, "") in PUBLIC_PAGES || (p.segments.length === 0 && "/" in PUBLIC_PAGES);
    const attacks: Attack[] = [
      {
        kind: "anonymous",
        run: () => send(ctx.base, { method: "GET", path, headers: REMOTE }),
        judge: isPublic ? mustNotFail : mustRefuse,
      },
    ];
    if (isAdmin(p.segments))
      attacks.push({
        kind: "subscriber→admin",
        run: () => send(ctx.base, { method: "GET", path, headers: { ...REMOTE, cookie: ctx.attackerCookie } }),
        judge: mustRefuse,
      });
    return { label: `page ${pattern(p.segments)}`, attacks };
  });
}

function actionTargets(ctx: SweepContext): Target[] {
  return discoverActions(ctx.distDir).map((a) => {
    const path = urlOf(ctx, a.pageSegments);
    const headers = { ...REMOTE, ...actionHeaders(a.id, ctx.base) };
    const signedIn = { ...headers, cookie: ctx.attackerCookie };
    const post = (h: Record<string, string>, body: FormData | string, type?: string) =>
      send(ctx.base, { method: "POST", path, headers: type ? { ...h, "content-type": type } : h, body });
    const attacks: Attack[] = [
      { kind: "anonymous", run: () => post(headers, formActionBody(anonymousFields(ctx.victims))), judge: mustRefuse },
    ];
    // An action without input acts only on the caller's own records: there is nobody else to reach through it.
    if (!a.takesNoInput || a.file.startsWith("app/admin/")) {
      const admin = a.file.startsWith("app/admin/");
      attacks.push({
        kind: admin ? "subscriber→admin" : "cross-user",
        run: () => post(signedIn, formActionBody(admin ? adminFields(ctx.victims) : crossUserFields(ctx.victims))),
        judge: mustRefuse,
      });
      attacks.push({
        kind: "malformed:form",
        run: () => post(signedIn, formActionBody(malformedFields(ctx.victims))),
        judge: mustRefuse,
      });
      attacks.push({
        kind: "malformed:args",
        run: () =>
          post(
            signedIn,
            '[{"__proto__":{"role":"admin"}},"not a form",{"constructor":{"prototype":{"x":1}}}]',
            "text/plain;charset=UTF-8",
          ),
        judge: mustRefuse,
      });
    }
    attacks.push({
      kind: "oversized",
      run: () =>
        sendOversized(
          ctx.base,
          { method: "POST", path, headers: { ...headers, "content-type": "text/plain;charset=UTF-8" } },
          OVERSIZED_BYTES,
        ),
      judge: mustRefuseUnread(OVERSIZED_BYTES),
    });
    return { label: `action ${a.name} (${a.file.replace(/^app\//, "")})`, attacks };
  });
}
