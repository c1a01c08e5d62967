/**
 * True while a process with this pid exists on this machine. EPERM means it exists but is
 * someone else's; a reused pid reads as alive, so callers treat "alive" as "may be running".
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
