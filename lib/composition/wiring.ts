/**
 * Registrations one context makes into another's registry, so the dependency
 * runs one way. Every process imports this once at its entry (instrumentation.ts
 * for the web app, scripts/worker.ts, the integration tests' setup).
 */
import "../api-billing/pack-effects";
