// A real pseudo-terminal for interactive commands: tmux runs the command, the test waits
// for text on the screen and sends keys, as a person at a terminal would.
import { execa } from "execa";

export class TmuxSession {
  private constructor(readonly name: string) {}

  /** Starts `command` (a shell line) in a detached 120x40 terminal. */
  static async start(name: string, command: string, cwd: string): Promise<TmuxSession> {
    await execa("tmux", ["new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-c", cwd, command]);
    return new TmuxSession(name);
  }

  async screen(): Promise<string> {
    const result = await execa("tmux", ["capture-pane", "-p", "-t", this.name], { reject: false });
    return String(result.stdout);
  }

  /** Waits until `pattern` is on the screen; throws with the screen after `timeoutMs`. */
  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      if (pattern.test(screen)) return screen;
      if (Date.now() > until) throw new Error(`timed out waiting for ${pattern} on the screen:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** tmux key names: "Down", "Enter", "C-c", or literal text with `literal`. */
  async send(keys: string[], options: { literal?: boolean } = {}): Promise<void> {
    await execa("tmux", ["send-keys", "-t", this.name, ...(options.literal ? ["-l"] : []), ...keys]);
  }

  async kill(): Promise<void> {
    await execa("tmux", ["kill-session", "-t", this.name], { reject: false });
  }
}
