/** How a command stopped by SIGINT exits, as shells report a process killed by it (128 + 2). */
export const INTERRUPTED_EXIT_CODE = 130;

export interface Interrupt {
  signal: AbortSignal;
  /** Stops listening; the process's default handling of the signals is back. */
  release(): void;
}

/**
 * The first SIGINT or SIGTERM asks a resumable command to stop after the write in flight and record
 * how far it got; a second one, someone who will not wait, ends the process at once (the state already
 * recorded still holds, the window in flight is sent again by the next run).
 */
export function listenForInterrupt(io: { stderr: NodeJS.WritableStream }): Interrupt {
  const controller = new AbortController();
  const listener = (signal: 'SIGINT' | 'SIGTERM') => () => {
    if (controller.signal.aborted) process.exit(INTERRUPTED_EXIT_CODE);
    io.stderr.write(
      `\n${signal}: finishing the writes in flight and recording progress (again to quit now)\n`,
    );
    controller.abort();
  };
  const onInt = listener('SIGINT');
  const onTerm = listener('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    release() {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
