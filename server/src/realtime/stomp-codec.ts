// STOMP 1.2 frames (https://stomp.github.io/stomp-specification-1.2.html): parsing and encoding.
// One WebSocket message carries whole frames (what @stomp/stompjs sends); a message that ends inside
// a frame is an error, as is anything the spec calls malformed.

export interface Frame {
  command: string;
  /** first occurrence wins, as the spec says for repeated headers */
  headers: Record<string, string>;
  body: Buffer;
}

export class StompProtocolError extends Error {}

const CLIENT_COMMANDS = new Set([
  'CONNECT', 'STOMP', 'SEND', 'SUBSCRIBE', 'UNSUBSCRIBE', 'ACK', 'NACK', 'BEGIN', 'COMMIT', 'ABORT', 'DISCONNECT',
]);
const SERVER_COMMANDS = new Set(['CONNECTED', 'MESSAGE', 'RECEIPT', 'ERROR']);
// CONNECT and CONNECTED frames do not escape headers (spec: "Value Encoding")
const RAW_HEADER_COMMANDS = new Set(['CONNECT', 'STOMP', 'CONNECTED']);

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

function unescapeHeader(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = text[++i];
    if (next === 'r') out += '\r';
    else if (next === 'n') out += '\n';
    else if (next === 'c') out += ':';
    else if (next === '\\') out += '\\';
    else throw new StompProtocolError(`헤더에 잘못된 이스케이프가 있습니다: \\${next ?? ''}`);
  }
  return out;
}

function escapeHeader(text: string): string {
  return text.replace(/[\\\r\n:]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\r' ? '\\r' : ch === '\n' ? '\\n' : '\\c'));
}

function readLine(buf: Buffer, from: number): { line: string; next: number } {
  const lf = buf.indexOf(LF, from);
  if (lf < 0) throw new StompProtocolError('프레임이 끝나지 않았습니다 (NUL 누락)');
  const end = lf > from && buf[lf - 1] === CR ? lf - 1 : lf;
  return { line: buf.toString('utf8', from, end), next: lf + 1 };
}

/** Parses every frame of one WebSocket message; heart-beat EOLs between frames are skipped. */
export function parseFrames(buf: Buffer, maxFrameBytes: number, commands = CLIENT_COMMANDS): Frame[] {
  const frames: Frame[] = [];
  let i = 0;
  while (i < buf.length) {
    if (buf[i] === LF) {
      i++;
      continue;
    }
    if (buf[i] === CR && buf[i + 1] === LF) {
      i += 2;
      continue;
    }
    const start = i;
    const head = readLine(buf, i);
    const command = head.line;
    if (!commands.has(command)) throw new StompProtocolError(`알 수 없는 명령입니다: ${command.slice(0, 20)}`);
    i = head.next;
    const headers: Record<string, string> = {};
    const raw = RAW_HEADER_COMMANDS.has(command);
    for (;;) {
      const { line, next } = readLine(buf, i);
      i = next;
      if (line === '') break;
      const colon = line.indexOf(':');
      if (colon <= 0) throw new StompProtocolError('헤더 형식이 올바르지 않습니다');
      const name = raw ? line.slice(0, colon) : unescapeHeader(line.slice(0, colon));
      const value = raw ? line.slice(colon + 1) : unescapeHeader(line.slice(colon + 1));
      if (!(name in headers)) headers[name] = value;
    }
    let end: number;
    const length = headers['content-length'];
    if (length !== undefined) {
      if (!/^\d{1,9}$/.test(length)) throw new StompProtocolError('content-length 가 올바르지 않습니다');
      end = i + Number(length);
      if (end >= buf.length || buf[end] !== NUL) throw new StompProtocolError('본문 길이가 content-length 와 다르거나 NUL 이 없습니다');
    } else {
      end = buf.indexOf(NUL, i);
      if (end < 0) throw new StompProtocolError('프레임이 끝나지 않았습니다 (NUL 누락)');
    }
    if (end + 1 - start > maxFrameBytes) throw new StompProtocolError(`프레임이 너무 큽니다 (최대 ${maxFrameBytes} 바이트)`);
    frames.push({ command, headers, body: buf.subarray(i, end) });
    i = end + 1;
  }
  return frames;
}

/** Parses frames a server sends (used by tests and the benchmark's light client). */
export const parseServerFrames = (buf: Buffer, maxFrameBytes = 1 << 24) => parseFrames(buf, maxFrameBytes, SERVER_COMMANDS);

/** Encodes one frame; a body always gets a content-length so it may contain NUL. */
export function encodeFrame(command: string, headers: Record<string, string | number | undefined>, body: string | Buffer = ''): Buffer {
  const raw = RAW_HEADER_COMMANDS.has(command);
  const bodyBuf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  let head = `${command}\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'content-length') continue;
    head += raw ? `${name}:${value}\n` : `${escapeHeader(name)}:${escapeHeader(String(value))}\n`;
  }
  if (bodyBuf.length) head += `content-length:${bodyBuf.length}\n`;
  head += '\n';
  return Buffer.concat([Buffer.from(head, 'utf8'), bodyBuf, Buffer.from([NUL])]);
}

/** A heart-beat is a single EOL. */
export const HEARTBEAT = Buffer.from('\n');
