// Structured logs (pino) to stderr: JSON when piped, readable lines on a terminal.
import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string = process.env.BULKHEAD_LOG_LEVEL ?? 'info', name = 'bulkhead'): Logger {
  const pretty = process.stderr.isTTY && !process.env.BULKHEAD_LOG_JSON;
  if (pretty) {
    return pino({
      name,
      level,
      transport: { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,name' } },
    });
  }
  return pino({ name, level }, pino.destination({ fd: 2, sync: false }));
}
