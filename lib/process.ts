// Whether a process still runs, by its id: the one check behind stale server cards, chDB's lock,
// interrupted imports and a server started by npm that outlives its parent.

/** Whether a process with this id runs on this machine (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
