/**
 * Next calls register() once per server process at start-up: the
 * cross-context registrations every process needs (lib/composition/wiring.ts),
 * and OpenTelemetry traces when OTEL_EXPORTER_OTLP_ENDPOINT is set
 * (lib/ops/tracing.ts; nothing is loaded or sent when it is not).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  await import("./lib/composition/wiring");
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return;
  const { startTracing } = await import("./lib/ops/tracing");
  startTracing(endpoint);
}
