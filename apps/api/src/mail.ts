// How mail leaves this process: nodemailer over SMTP when SMTP_URL is set, else each message is written to the
// log (and counts as sent), so a development server or a demo never needs a mail server.
import { type MailLogger, type MailTransport, PermanentMailError } from "@wz/core";
import { createTransport } from "nodemailer";

export interface MailSettings {
  smtpUrl?: string | undefined;
  from: string;
}

/** The domain of the sender's address ("Name <a@b.org>" → "b.org"): Message-IDs are made under it. */
export function senderDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return address.split("@")[1]?.trim() || "localhost";
}

export function createMailTransport(settings: MailSettings, logger: MailLogger): MailTransport {
  if (!settings.smtpUrl) {
    return {
      send: async (mail) => {
        logger.info(
          { mail: { ...mail, from: settings.from } },
          `mail to ${mail.to} (SMTP_URL unset: logged, not sent)`,
        );
      },
    };
  }
  const transporter = createTransport({
    url: settings.smtpUrl,
    // bounded, so a stuck server fails the attempt (to be retried) well within the worker's lease on the row
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    send: async (mail) => {
      try {
        await transporter.sendMail({
          from: settings.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          headers: { "Content-Language": mail.locale },
        });
      } catch (error) {
        // 5xx is the server's final word (no such mailbox, refused); anything else (4xx, no connection) passes
        const code = (error as { responseCode?: unknown }).responseCode;
        if (typeof code === "number" && code >= 500)
          throw new PermanentMailError(error instanceof Error ? error.message : String(error), { cause: error });
        throw error;
      }
    },
    close: () => transporter.close(),
  };
}
