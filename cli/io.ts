// What a command writes: its output, its messages, its progress. A command never touches
// process.stdout directly, so the same command runs in a terminal or inside the server when the
// CLI goes through it (cli/forward.ts), with its output streamed back.
import cliProgress from 'cli-progress';

export interface Progress {
  /** set the amount done (and optionally a new total) */
  update(done: number, total?: number): void;
  increment(by?: number): void;
  /** finish the bar, optionally with a last line */
  stop(message?: string): void;
}

export interface CommandIO {
  /** standard output: the command's result (JSON, tables, policy files) */
  out(text: string): void;
  /** standard error: messages for people */
  err(text: string): void;
  /** a progress bar on a terminal, periodic lines otherwise; total 0 = unknown */
  progress(label: string, total?: number, unit?: string): Progress;
  /** true when output goes to a person (colours, bars) rather than a pipe */
  readonly interactive: boolean;
}

/** The terminal's IO: stdout/stderr and a cli-progress bar on stderr. */
export function terminalIO(): CommandIO {
  const interactive = Boolean(process.stderr.isTTY);
  return {
    interactive,
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    progress(label, total = 0, unit = '') {
      if (!interactive) return lineProgress((t) => process.stderr.write(`${t}\n`), label, total, unit);
      const bar = new cliProgress.SingleBar(
        {
          format: total > 0 ? `${label} [{bar}] {percentage}% {value}/{total}${unit ? ` ${unit}` : ''} eta {eta_formatted}` : `${label} {value}${unit ? ` ${unit}` : ''}`,
          hideCursor: true,
          stream: process.stderr,
          etaBuffer: 50,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
      let done = 0;
      return {
        update(n, t) {
          done = n;
          if (t !== undefined) bar.setTotal(t);
          bar.update(n);
        },
        increment(by = 1) {
          done += by;
          bar.update(done);
        },
        stop(message) {
          bar.stop();
          if (message) process.stderr.write(`${message}\n`);
        },
      };
    },
  };
}

/** Progress as a line every few seconds, for logs and pipes. */
export function lineProgress(write: (line: string) => void, label: string, total: number, unit: string, everyMs = 5000): Progress {
  let done = 0;
  let last = 0;
  const t0 = Date.now();
  const emit = (force = false) => {
    const now = Date.now();
    if (!force && now - last < everyMs) return;
    last = now;
    const pct = total > 0 ? ` (${Math.floor((done / total) * 100)}%)` : '';
    write(`${label}: ${done}${total > 0 ? `/${total}` : ''}${unit ? ` ${unit}` : ''}${pct} after ${((now - t0) / 1000).toFixed(0)} s`);
  };
  return {
    update(n, t) {
      done = n;
      if (t !== undefined) total = t;
      emit();
    },
    increment(by = 1) {
      done += by;
      emit();
    },
    stop(message) {
      if (message) write(message);
    },
  };
}

/** Collects output in memory (tests). */
export function bufferIO(): CommandIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    interactive: false,
    out(text: string) {
      io.stdout += text.endsWith('\n') ? text : `${text}\n`;
    },
    err(text: string) {
      io.stderr += text.endsWith('\n') ? text : `${text}\n`;
    },
    progress(label: string, total = 0, unit = '') {
      return lineProgress((t) => io.err(t), label, total, unit, Number.POSITIVE_INFINITY);
    },
  };
  return io;
}
