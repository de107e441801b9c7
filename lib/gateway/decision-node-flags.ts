/**
 * Node flags the decision server runs with, wherever it is started as
 * production runs it (`npm start`, the benchmarks).
 *
 * A young generation of 64 MiB semi-spaces instead of Node 20's 16 MiB: a
 * gateway call leaves about 50 KB of garbage (request, body, model server's
 * answer, database rows), so at 2,500 calls/s the default collected the young
 * generation about eight times a second, each time copying every call still
 * in flight and moving those that outlived two collections to the old
 * generation, which then needed a full collection every few seconds. With
 * 64 MiB it is about twice a second and nearly every call is over by then:
 * the decision server's CPU per call fell by about a tenth and the gateway
 * carried about a tenth more calls (README, "Measured"). The price is about
 * 100 MiB more memory per process at peak (two semi-spaces of 64 MiB, not 16).
 */
export const DECISION_NODE_FLAGS = ["--max-semi-space-size=64"];
