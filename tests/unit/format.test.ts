import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney, formatMoneyMicro, minorDigits } from "../../lib/money/format";
import { microToDecimalString } from "../../lib/money/decimal";

const NBSP = "\u00a0";

describe("minorDigits", () => {
  it("WALLET-3: minor digits come from ISO 4217 (USD 2, CNY 2, JPY 0, KWD 3)", () => {
    expect(minorDigits("USD")).toBe(2);
    expect(minorDigits("CNY")).toBe(2);
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("KWD")).toBe(3);
  });

  it("WALLET-3: an invalid currency code throws a RangeError", () => {
    expect(() => minorDigits("US")).toThrow(RangeError);
  });
});

describe("formatMoney", () => {
  it("WALLET-3: USD 600 minor units in en-US is $6.00", () => {
    expect(formatMoney(600n, "USD", "en-US")).toBe("$6.00");
  });

  it("WALLET-3: a number and a bigint amount format identically", () => {
    expect(formatMoney(600, "USD", "en-US")).toBe("$6.00");
    expect(formatMoney(123456789, "USD", "en-US")).toBe(formatMoney(123456789n, "USD", "en-US"));
  });

  it("WALLET-3: zero and sub-unit amounts keep their leading zeros ($0.00, $0.05)", () => {
    expect(formatMoney(0n, "USD", "en-US")).toBe("$0.00");
    expect(formatMoney(5n, "USD", "en-US")).toBe("$0.05");
    expect(formatMoney(-0, "USD", "en-US")).toBe("$0.00");
  });

  it("WALLET-3: negative amounts put the sign before the symbol (-$6.00, -$0.05)", () => {
    expect(formatMoney(-600n, "USD", "en-US")).toBe("-$6.00");
    expect(formatMoney(-5n, "USD", "en-US")).toBe("-$0.05");
  });

  it("WALLET-3: thousands are grouped in en-US ($1,234,567.89)", () => {
    expect(formatMoney(123456789n, "USD", "en-US")).toBe("$1,234,567.89");
  });

  it("WALLET-3: CNY in zh-CN formats as ¥ with two decimals", () => {
    expect(formatMoney(600n, "CNY", "zh-CN")).toBe("¥6.00");
    expect(formatMoney(-600n, "CNY", "zh-CN")).toBe("-¥6.00");
    expect(formatMoney(123456n, "CNY", "zh-CN")).toBe("¥1,234.56");
  });

  it("WALLET-3: USD in zh-CN is shown as US$", () => {
    expect(formatMoney(123456n, "USD", "zh-CN")).toBe("US$1,234.56");
  });

  it("WALLET-3: JPY has no minor unit, 600 minor units is ¥600", () => {
    expect(formatMoney(600n, "JPY", "en-US")).toBe("¥600");
    expect(formatMoney(-123456n, "JPY", "en-US")).toBe("-¥123,456");
    expect(formatMoney(-1234n, "JPY", "zh-CN")).toBe("-JP¥1,234");
  });

  it("WALLET-3: KWD has three minor digits, 1234 minor units is KWD 1.234", () => {
    expect(formatMoney(1234n, "KWD", "en-US")).toBe(`KWD${NBSP}1.234`);
    expect(formatMoney(-1n, "KWD", "en-US")).toBe(`-KWD${NBSP}0.001`);
    expect(formatMoney(1234n, "KWD", "zh-CN")).toBe(`KWD${NBSP}1.234`);
  });

  it("WALLET-3: 2^53 + 1 minor units formats exactly, without float rounding", () => {
    // As a float, 9007199254740993 would round to ...992.
    expect(formatMoney(2n ** 53n + 1n, "USD", "en-US")).toBe("$90,071,992,547,409.93");
  });

  it("WALLET-3: 20-digit and 2^63 amounts format exactly", () => {
    expect(formatMoney(12345678901234567891n, "USD", "en-US")).toBe("$123,456,789,012,345,678.91");
    expect(formatMoney(-(2n ** 63n), "USD", "en-US")).toBe("-$92,233,720,368,547,758.08");
  });

  it("WALLET-3: a fractional number of minor units is refused with a RangeError", () => {
    expect(() => formatMoney(1.5, "USD", "en-US")).toThrow(RangeError);
  });

  it("WALLET-3: for any bigint amount, USD en-US output keeps every digit (no precision lost)", () => {
    const bound = 10n ** 40n;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.bigInt({ min: -bound, max: bound }),
          fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }),
          fc.bigInt({ min: -1000n, max: 1000n }),
          fc.bigInt({ min: BigInt(Number.MAX_SAFE_INTEGER) - 1000n, max: BigInt(Number.MAX_SAFE_INTEGER) + 1000n }),
        ),
        (amount) => {
          const out = formatMoney(amount, "USD", "en-US");
          expect(BigInt(out.replace(/[^0-9-]/g, ""))).toBe(amount);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("WALLET-3: for any bigint amount, the output has the exact currency shape per minor digits", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.constantFrom(["USD", 2], ["CNY", 2], ["JPY", 0], ["KWD", 3]),
        fc.constantFrom("en-US", "zh-CN"),
        (amount, [currency, digits], locale) => {
          const out = formatMoney(amount, currency as string, locale);
          const abs = amount < 0n ? -amount : amount;
          const scale = 10n ** BigInt(digits as number);
          const whole = (abs / scale).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
          const frac = (digits as number) ? "." + (abs % scale).toString().padStart(digits as number, "0") : "";
          expect(out.startsWith(amount < 0n ? "-" : "")).toBe(true);
          expect(out.endsWith(whole + frac)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("formatMoneyMicro", () => {
  it("BILL-1: exact fees in micro-units of the minor unit show to the micro-unit, trailing zeros below the minor unit dropped", () => {
    expect(formatMoneyMicro(123_400n, "USD", "en-US")).toBe("$0.001234");
    expect(formatMoneyMicro(3_000_000n, "USD", "en-US")).toBe("$0.03");
    expect(formatMoneyMicro(1n, "USD", "en-US")).toBe("$0.00000001");
    expect(formatMoneyMicro(1_002_000_200n, "USD", "en-US")).toBe("$10.020002");
    expect(formatMoneyMicro(0n, "USD", "en-US")).toBe("$0.00");
    expect(formatMoneyMicro(123_456_789n, "CNY", "zh-CN")).toBe("¥1.23456789");
    expect(formatMoneyMicro(1_500_000n, "JPY", "en-US")).toBe("¥1.5");
  });

  it("BILL-1: the plain decimal string is exact for any amount (property, 1,000 runs)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (micro) => {
        const s = microToDecimalString(micro, "USD");
        const [whole, frac = ""] = s.replace("-", "").split(".");
        const back = (BigInt(whole) * 10n ** 8n + BigInt(frac.padEnd(8, "0"))) * (s.startsWith("-") ? -1n : 1n);
        expect(back).toBe(micro);
        expect(frac.length >= 2 && frac.length <= 8).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
