import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toCsv } from "../../lib/http/csv";
import { toDecimalString } from "../../lib/money/decimal";
import { parseMoney } from "../../lib/money/parse";

describe("typed amounts and exports", () => {
  it("WALLET-4: a typed amount is read exactly into minor units", () => {
    expect(parseMoney("10", "USD")).toBe(1000n);
    expect(parseMoney("10.5", "USD")).toBe(1050n);
    expect(parseMoney(" 0,99 ", "CNY")).toBe(99n);
    expect(parseMoney("1500", "JPY")).toBe(1500n);
  });

  it("WALLET-4: anything but a plain amount with the currency's decimals is refused", () => {
    for (const bad of ["", "abc", "-1", "1e3", "12.345", "1.2.3", "0x10", "Infinity", "1 000"])
      expect(parseMoney(bad, "USD")).toBeNull();
    expect(parseMoney("10.5", "JPY")).toBeNull();
  });

  // Typed amounts have at most 12 whole digits (parseMoney), so the range stays within that.
  it("WALLET-3: minor units survive a round trip through the decimal string (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n - 1n }),
        fc.constantFrom("USD", "CNY", "JPY"),
        (minor, currency) => {
          expect(parseMoney(toDecimalString(minor, currency), currency)).toBe(minor);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it("WALLET-3: negative amounts print with one minus sign and padded cents", () => {
    expect(toDecimalString(-5n, "USD")).toBe("-0.05");
    expect(toDecimalString(123456n, "CNY")).toBe("1234.56");
    expect(toDecimalString(7n, "JPY")).toBe("7");
  });

  it("CSV export quotes separators and defuses spreadsheet formulas, but keeps negative numbers", () => {
    const csv = toCsv(
      ["a", "b", "c"],
      [
        ["x,y", '=HYPERLINK("evil")', "-12.50"],
        [null, 'say "hi"', 3],
      ],
    );
    expect(csv).toBe('a,b,c\r\n"x,y","\'=HYPERLINK(""evil"")",-12.50\r\n,"say ""hi""",3\r\n');
  });
});
