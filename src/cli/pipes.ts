// A reader that stops early (`kvm-lab plan | head -1`) closes the pipe under our stdout.
// Node then reports EPIPE as an 'error' event on the stream, which, unhandled, ends the
// process with a stack trace. Here a closed pipe just ends that stream quietly: later
// writes to it are dropped, and the command finishes (cleanup included) with its own
// exit code, 0 when it succeeded.

const closed = new WeakSet<NodeJS.WritableStream>();
const watched = new WeakSet<NodeJS.WritableStream>();

function watch(stream: NodeJS.WritableStream): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    closed.add(stream);
  });
}

/** Writes `text` to `stream` unless its reader has gone; a closed pipe is no error. */
export function writeUnlessClosed(stream: NodeJS.WritableStream, text: string): void {
  watch(stream);
  if (!closed.has(stream)) stream.write(text);
}
