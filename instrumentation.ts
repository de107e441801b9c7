// Runs once when the web app's server starts: the cross-context registrations every process needs (lib/composition/wiring.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./lib/composition/wiring");
}
