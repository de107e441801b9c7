import { OTLPHttpJsonTraceExporter, registerOTel } from "@vercel/otel";

/**
 * OpenTelemetry traces (Next's spans for every request, route and fetch),
 * sent as OTLP/HTTP JSON to the collector at `endpoint` (…/v1/traces).
 * Without an endpoint nothing is registered and nothing is sent: a
 * deployment that did not ask for traces makes no such connection.
 * Returns whether tracing was started.
 */
export function startTracing(endpoint: string | undefined, serviceName = "codeplan-web"): boolean {
  if (!endpoint) return false;
  const url = new URL("v1/traces", endpoint.endsWith("/") ? endpoint : `${endpoint}/`).toString();
  registerOTel({ serviceName, traceExporter: new OTLPHttpJsonTraceExporter({ url }) });
  return true;
}
