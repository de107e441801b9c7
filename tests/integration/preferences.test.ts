import { describe, expect, it } from "vitest";
import { savePreferences } from "../../lib/accounts/preferences";
import { signUpAndConfirm } from "../support/accounts";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();

describe("language and time zone per user", () => {
  it("a saved language is kept on the account and audited with before and after; saving the same again writes nothing", async () => {
    const r = {
      user: await signUpAndConfirm(t.db, { email: "lang@example.com", password: "long enough pw" }, new Date()),
    };
    await savePreferences(r.user.id, { locale: "zh-CN", timeZone: "Asia/Shanghai" }, new Date());
    await savePreferences(r.user.id, { locale: "zh-CN" }, new Date());
    const user = await t.db.user.findUniqueOrThrow({ where: { id: r.user.id } });
    expect(user.locale).toBe("zh-CN");
    expect(user.timeZone).toBe("Asia/Shanghai");
    const audits = await t.db.auditLog.findMany({ where: { action: "user.preferences" } });
    expect(audits).toHaveLength(1);
    expect(audits[0].before).toEqual({ locale: "en", timeZone: null });
    expect(audits[0].after).toEqual({ locale: "zh-CN", timeZone: "Asia/Shanghai" });
  });
});
