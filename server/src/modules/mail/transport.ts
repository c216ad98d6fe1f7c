// Where mails physically go: an SMTP server (SMTP_URL, through nodemailer) or, without one, .eml files in
// DATA_DIR/outbox that any mail program opens (embedded mode needs no mail server to reset a password).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../../config.ts';

export interface OutgoingMail {
  /** outbox id: names the .eml file */
  id: number;
  to: string;
  subject: string;
  text: string;
}

export interface MailTransport {
  kind: 'smtp' | 'outbox';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Longest wait for an SMTP server at each step; a hung server fails the attempt, which is retried later. */
const SMTP_TIMEOUT_MS = 20_000;

export function createMailTransport(config: Config['mail']): MailTransport {
  const message = (mail: OutgoingMail) => ({ from: config.from, to: mail.to, subject: mail.subject, text: mail.text });
  const url = config.smtpUrl;
  if (url) {
    const smtp = opened(async () =>
      (await loadNodemailer()).createTransport({
        url,
        connectionTimeout: SMTP_TIMEOUT_MS,
        greetingTimeout: SMTP_TIMEOUT_MS,
        socketTimeout: SMTP_TIMEOUT_MS,
      }),
    );
    return {
      kind: 'smtp',
      async send(mail) {
        await (await smtp.get()).sendMail(message(mail));
      },
      close: () => smtp.close(),
    };
  }
  const composer = opened(async () => (await loadNodemailer()).createTransport({ streamTransport: true, buffer: true, newline: 'unix' }));
  return {
    kind: 'outbox',
    async send(mail) {
      const info = await (await composer.get()).sendMail(message(mail));
      await fs.mkdir(config.outboxDir, { recursive: true });
      // write then rename: a reader polling the folder never sees half a file
      const file = path.join(config.outboxDir, `${String(mail.id).padStart(8, '0')}.eml`);
      await fs.writeFile(`${file}.tmp`, info.message as Buffer);
      await fs.rename(`${file}.tmp`, file);
    },
    close: () => composer.close(),
  };
}

// nodemailer is loaded with the first mail, not at start (it is one of the heavier modules of a start)
const loadNodemailer = async () => (await import('nodemailer')).default;

/** A transport made on first use; closing one never made does nothing. */
function opened<T extends { close(): void }>(make: () => Promise<T>) {
  let made: Promise<T> | undefined;
  return {
    get: () => (made ??= make()),
    close: () => void made?.then((t) => t.close(), () => {}),
  };
}

/** The outbox file of a mail (tests and the CLI read it). */
export const outboxFile = (config: Config['mail'], id: number) => path.join(config.outboxDir, `${String(id).padStart(8, '0')}.eml`);
