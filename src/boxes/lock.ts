// One box build at a time per cache: builds share the package cache and apt's lock on it.
import path from "node:path";
import fs from "fs-extra";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Waits for the cache's build lock (a file holding the owner's pid; a dead owner's is taken over). */
export async function lockCache(cacheDir: string, say: (line: string) => void): Promise<() => Promise<void>> {
  const file = path.join(cacheDir, "build.lock");
  await fs.ensureDir(cacheDir);
  let told = false;
  for (;;) {
    try {
      await fs.writeFile(file, String(process.pid), { flag: "wx" });
      return () => fs.remove(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number((await fs.readFile(file, "utf8").catch(() => "")).trim());
      if (!owner || !alive(owner)) {
        await fs.remove(file);
        continue;
      }
      if (!told) say(`waiting for another box build (pid ${owner}) that uses ${cacheDir}`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}
