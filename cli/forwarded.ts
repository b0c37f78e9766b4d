// The CLI's part of the server half of forwarding: a forwarded command runs with an IO that turns
// its output, messages and progress into events for the endpoint to stream (app/api/v1/cli).
// `bulkhead serve` registers the runner on the shared runtime (Runtime.commands).
import type { Runtime } from '../lib/runtime';
import type { CommandRunner } from '../lib/forwarding';
import type { CommandContext } from './context';
import type { CommandIO } from './io';

/** Progress events at most this often per bar: a busy import must not flood the client. */
const PROGRESS_EVERY_MS = 200;

/** The runner for this process's runtime; runCommand is the CLI itself (ctx.runCommand). */
export function commandRunner(runCommand: CommandContext['runCommand'], runtime: Runtime): CommandRunner {
  return async (command, emit) => {
    let nextId = 1;
    const io: CommandIO = {
      interactive: false,
      out: (s) => emit({ t: 'out', s }),
      err: (s) => emit({ t: 'err', s }),
      progress(label, total = 0, unit = '') {
        const id = nextId++;
        let done = 0;
        let last = 0;
        const send = (force = false) => {
          const now = Date.now();
          if (!force && now - last < PROGRESS_EVERY_MS) return;
          last = now;
          emit({ t: 'progress', id, label, total, unit, done });
        };
        send(true);
        return {
          update(n, t) {
            done = n;
            if (t !== undefined) total = t;
            send();
          },
          increment(by = 1) {
            done += by;
            send();
          },
          stop(message) {
            send(true);
            emit({ t: 'progress', id, label, total, unit, done, stop: true, message });
          },
        };
      },
    };
    return runCommand(command.argv, {
      io,
      cwd: command.cwd,
      forwardedRuntime: async () => runtime,
      signal: command.signal,
      actor: command.actor,
      clientIp: command.clientIp,
      stdin: command.stdin,
    });
  };
}
