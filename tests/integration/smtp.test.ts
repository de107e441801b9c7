import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { magicLinkMail } from "../../lib/auth/magic-link-mail";
import { sendMail } from "../../lib/mail/send";
import { freshDatabase, type TestDatabase } from "../support/database";

let t: TestDatabase;
let server: SMTPServer;
const received: { to: string[]; data: string }[] = [];

beforeAll(async () => {
  t = await freshDatabase();
  // A real SMTP server on loopback, standing in for the operator's mail relay.
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let data = "";
      stream.on("data", (c: Buffer) => (data += c.toString("utf8")));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  // Read once by lib/config/env on first use in this file's process.
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.MAIL_FROM = "CodePlan <signin@codeplan.test>";
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await t.drop();
});

describe("e-mail through SMTP", () => {
  it("with SMTP_URL set, the sign-in e-mail goes to the SMTP server, not to the development mailbox", async () => {
    await sendMail({
      to: "smtp.user@example.com",
      ...magicLinkMail("en", "http://localhost:3000/api/auth/callback/email?token=xyz"),
    });
    expect(received).toHaveLength(1);
    expect(received[0].to).toEqual(["smtp.user@example.com"]);
    expect(received[0].data).toContain("Subject: Your CodePlan sign-in link");
    expect(received[0].data).toContain("From: CodePlan <signin@codeplan.test>");
    expect(received[0].data).toContain("token=xyz");
    expect(await t.db.devMail.count()).toBe(0);
  });
});
