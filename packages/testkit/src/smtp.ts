// A real SMTP server on a loopback port for mail tests: it keeps (and parses) what it receives, and can be stopped
// and started again on the same port, or made to refuse with a reply code (451 try later, 550 refused).
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  messageId: string;
  language: string;
}

export class SmtpSink {
  received: ReceivedMail[] = [];
  /** An SMTP reply code to refuse every message with (451: try again later; 550: refused for good); null accepts. */
  refuseWith: number | null = null;
  private server: SMTPServer | undefined;
  constructor(readonly port: number) {}

  async start(): Promise<void> {
    const server = new SMTPServer({
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, _session, callback) => {
        const code = this.refuseWith;
        if (code !== null) {
          stream.resume();
          stream.on("end", () =>
            callback(
              Object.assign(new Error(code < 500 ? "Try again later" : "Refused"), { responseCode: code }) as Error,
            ),
          );
          return;
        }
        simpleParser(stream).then(
          (mail) => {
            const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
            this.received.push({
              to: to?.value[0]?.address ?? "",
              subject: mail.subject ?? "",
              text: mail.text ?? "",
              messageId: mail.messageId ?? "",
              language: String(mail.headers.get("content-language") ?? ""),
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.to === address.toLowerCase());
  }
}
