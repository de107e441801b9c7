import { beforeAll, describe, expect, it } from "vitest";
import { codeplanAdapter } from "../../lib/auth/adapter";
import { magicLinkMail } from "../../lib/auth/magic-link-mail";
import { testClock } from "../../lib/clock/clock";
import { sendMail } from "../../lib/mail/send";
import { setupFreshDatabase } from "../support/database";

const t = setupFreshDatabase();
// No SMTP here: mail must go to the development mailbox.
beforeAll(() => {
  delete process.env.SMTP_URL;
});

describe("e-mail magic link", () => {
  it("a link works once: the second use of the same token finds nothing", async () => {
    const adapter = codeplanAdapter();
    await adapter.createVerificationToken!({ identifier: "once@example.com", token: "hashed-1", expires: new Date() });
    const uses = await Promise.all([
      adapter.useVerificationToken!({ identifier: "once@example.com", token: "hashed-1" }),
      adapter.useVerificationToken!({ identifier: "once@example.com", token: "hashed-1" }),
    ]);
    expect(uses.filter((u) => u !== null)).toHaveLength(1);
    expect(await t.db.verificationToken.count()).toBe(0);
  });

  it("a link expires 15 minutes after it was sent, by the app clock", async () => {
    const adapter = codeplanAdapter();
    await adapter.createVerificationToken!({ identifier: "late@example.com", token: "hashed-2", expires: new Date() });
    await testClock(t.db).advanceBy(15 * 60_000 + 1000);
    expect(await adapter.useVerificationToken!({ identifier: "late@example.com", token: "hashed-2" })).toBeNull();
  });

  it("without SMTP the message lands in the development mailbox, in the visitor's language", async () => {
    await sendMail({
      to: "dev@example.com",
      ...magicLinkMail("zh-CN", "http://localhost:3000/api/auth/callback/email?token=abc"),
    });
    const [mail] = await t.db.devMail.findMany({ where: { to: "dev@example.com" } });
    expect(mail.subject).toBe("您的 CodePlan 登录链接");
    expect(mail.text).toContain("http://localhost:3000/api/auth/callback/email?token=abc");
    expect(mail.text).toContain("15 分钟后失效");
  });
});
