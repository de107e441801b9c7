/**
 * A refusal the caller can act on (DESIGN.md, convention 5), the one error
 * model of every context. `code` is stable (a program may branch on it),
 * `status` is its HTTP status, `key` its message under `errors.*` and `params`
 * fill the message's placeholders.
 *
 * dub's DubApiError and documenso's AppError are one class with a code string.
 * Here each context's refusals are a subclass instead, so its codes stay a
 * typed union and `instanceof BillingError` keeps narrowing where flows and
 * tests branch on it. From dub: one code → status map, kept per kind next to
 * its codes (statusOf); from documenso: the user's message (our key) apart
 * from the internal message (a processor outage keeps the processor's words).
 *
 * Bugs and outages of our own (an unbalanced posting, an unknown plan version,
 * the database down) are not DomainErrors: they stay plain Errors and reach
 * the error page or the 500 answer.
 */
export class DomainError<C extends string = string> extends Error {
  /** The message key under `errors.*`: the code itself unless a kind says otherwise. */
  readonly key: string;
  /** Only when the refusal has placeholders to fill (absent, not empty, otherwise). */
  readonly params?: Readonly<Record<string, string>>;

  constructor(
    readonly code: C,
    message: string = code,
    readonly status = 400,
    options: { key?: string; params?: Record<string, string> } = {},
  ) {
    super(message);
    this.key = options.key ?? code;
    if (options.params) this.params = options.params;
  }
}

/** A code → status map with a default, so a new code needs no new line unless it is not a plain refusal. */
export const statusOf = <C extends string>(map: Partial<Record<C, number>>, code: C, fallback = 409) =>
  map[code] ?? fallback;
