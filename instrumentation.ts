/**
 * Next calls register() once per server process at start-up: OpenTelemetry
 * traces go out when OTEL_EXPORTER_OTLP_ENDPOINT is set (lib/ops/tracing.ts),
 * and nothing is loaded or sent when it is not.
 */
export async function register() {
  const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startTracing } = await import("./lib/ops/tracing");
  startTracing(endpoint);
}
