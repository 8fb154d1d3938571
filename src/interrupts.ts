// Ctrl-C and SIGTERM as a flag to check between steps, so long work can stop where it
// can still clean up instead of dying half-way through.
import { InterruptedError } from "./errors.js";

export interface InterruptWatch {
  /** The signal that arrived, if one did. */
  readonly signal: NodeJS.Signals | undefined;
  /** Throws InterruptedError (exit 130) naming `what` once a signal has arrived. */
  throwIfInterrupted(what: string): void;
  /** Stops watching; the default signal behaviour returns. */
  dispose(): void;
}

/** Watches SIGINT and SIGTERM until disposed; `onSignal` runs on the first one (stop children there). */
export function watchInterrupts(onSignal?: (signal: NodeJS.Signals) => void): InterruptWatch {
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals) => {
    if (received) return;
    received = signal;
    onSignal?.(signal);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    get signal() {
      return received;
    },
    throwIfInterrupted(what) {
      if (received) throw new InterruptedError(`${what} interrupted (${received})`);
    },
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
