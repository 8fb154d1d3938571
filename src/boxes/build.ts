// Building a box from its recipe, step by step with progress, reusing a finished box of the
// same content version, and leaving nothing half-written behind when a step fails.
import path from "node:path";
import fs from "fs-extra";
import { BOX_PROVIDERS, packLibvirtBox, packVirtualboxBox, sha256File, writeCatalog, type BoxProvider, type CatalogEntry } from "./formats.js";
import { makeBootableDisk } from "./disk.js";
import { lockCache } from "./lock.js";
import { preflight } from "./preflight.js";
import { loadRecipe } from "./registry.js";
import { applyRecipe, BASE_PACKAGES, bootstrapBase, cleanTree, configureBase, installPackages } from "./rootfs.js";
import { stopRunningTools, type RunContext } from "./run.js";
import { normalizeTree } from "./reproducible.js";
import { boxContent, buildInputs, diskIds, vmdkContentId } from "./version.js";
import { InterruptedError } from "../errors.js";
import { watchInterrupts, type InterruptWatch } from "../interrupts.js";

export const DEFAULT_CACHE_DIR = process.env.KVM_LAB_CACHE ?? "/var/cache/kvm-lab";

export interface BuildOptions {
  recipe: string;
  providers: readonly BoxProvider[];
  outDir: string;
  cacheDir?: string;
  /** Rebuild even when a finished box of the same recipe is there. */
  force?: boolean;
  progress?: (line: string) => void;
}

export interface BuiltBox {
  provider: BoxProvider;
  file: string;
  bytes: number;
  sha256: string;
  reused: boolean;
}

export interface BuildResult {
  recipe: string;
  /** The boxes' content version (src/boxes/version.ts), as in the catalog. */
  version: string;
  boxes: BuiltBox[];
  catalog: string;
  seconds: number;
  steps: { name: string; seconds: number }[];
}

interface Stamp {
  /** The content digest the box was built from. */
  key: string;
  sha256: string;
  bytes: number;
}

export function boxFileName(recipe: string, provider: BoxProvider): string {
  return `${recipe}-${provider}.box`;
}

/** The stamp of a finished box made with build key `key`, or undefined when there is none. */
async function currentStamp(file: string, key: string): Promise<Stamp | undefined> {
  const stamp = (await fs.readJson(`${file}.json`).catch(() => undefined)) as Stamp | undefined;
  return stamp?.key === key && (await fs.pathExists(file)) ? stamp : undefined;
}

export async function buildBox(options: BuildOptions): Promise<BuildResult> {
  const started = Date.now();
  const say = options.progress ?? (() => undefined);
  const cacheDir = path.resolve(options.cacheDir ?? DEFAULT_CACHE_DIR);
  const outDir = path.resolve(options.outDir);
  const { recipe } = await loadRecipe(options.recipe);
  const content = boxContent(recipe, await buildInputs(recipe));
  const key = content.digest;

  // Reuse finished boxes of the same content; returns the providers still to build.
  const boxes: BuiltBox[] = [];
  const reuseFinished = async (providers: readonly BoxProvider[]): Promise<BoxProvider[]> => {
    const left: BoxProvider[] = [];
    for (const provider of providers) {
      const file = path.join(outDir, boxFileName(recipe.name, provider));
      const stamp = options.force ? undefined : await currentStamp(file, key);
      if (stamp) {
        boxes.push({ provider, file, bytes: stamp.bytes, sha256: stamp.sha256, reused: true });
        say(`${recipe.name} (${provider}): content version ${content.version} unchanged, reusing ${path.relative(process.cwd(), file) || file}`);
      } else {
        left.push(provider);
      }
    }
    return left;
  };
  let todo = await reuseFinished(options.providers);

  const steps: { name: string; seconds: number }[] = [];
  if (todo.length) {
    const total = 5 + todo.length;
    let index = 0;
    // Ctrl-C reaches the running tool too (same process group); it fails, and cleanup runs below.
    let interrupts: InterruptWatch | undefined;
    const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      interrupts?.throwIfInterrupted("box build");
      index++;
      say(`[${index}/${total}] ${name}`);
      const t0 = Date.now();
      const result = await work();
      const seconds = (Date.now() - t0) / 1000;
      steps.push({ name, seconds });
      say(`      done in ${seconds.toFixed(1)} s`);
      return result;
    };

    const workBytes = (recipe.packages.length ? 6 : 3) * 2 ** 30;
    const { insecureKey } = await step("preflight: root, tools, Vagrant's insecure key, disk room", () =>
      preflight({ room: [{ dir: cacheDir, bytes: workBytes }, { dir: outDir, bytes: 2 ** 30 }] }),
    );
    await fs.ensureDir(outDir);
    const unlock = await lockCache(cacheDir, say);
    // Another build of the same boxes may have finished while this one waited for the lock.
    todo = await reuseFinished(todo);
    const work = path.join(cacheDir, "work", `${recipe.name}-${process.pid}`);
    const rootfs = path.join(work, "rootfs");
    // UTC: FAT entries hold local time (mtools mk_entry).
    const ctx: RunContext = { log: path.join(work, "build.log"), step: "", env: { TZ: "UTC" } };
    const keptLog = path.join(outDir, `${recipe.name}.build.log`);
    await fs.remove(work);
    await fs.ensureDir(work);
    const partials: string[] = [];
    interrupts = watchInterrupts((signal) => {
      say(`${signal}: stopping after cleanup`);
      stopRunningTools();
    });
    try {
      // Nothing left when another build made every box while this one waited.
      if (todo.length) {
        const { rootUuid, bootVolumeId } = diskIds(content.digest);
        ctx.step = "base system";
        await step(`base system: Debian ${recipe.suite} minbase + ${BASE_PACKAGES.length} packages`, async () => {
          const how = await bootstrapBase(ctx, rootfs, path.join(cacheDir, "bootstrap"), recipe.suite);
          say(`      ${how === "cached" ? "from the cache" : "debootstrap (now cached)"}`);
        });
        ctx.step = "packages";
        const epoch = await step(`packages: the kernel, systemd-resolved${recipe.packages.length ? ` + ${recipe.packages.length} from the recipe` : ""}; slim kernel modules`, () =>
          installPackages(ctx, rootfs, cacheDir, ["systemd-resolved", ...recipe.packages], say),
        );
        say(`      SOURCE_DATE_EPOCH ${epoch} (${new Date(epoch * 1000).toISOString().slice(0, 10)})`);
        ctx.step = "configure";
        await step("configure: vagrant user and key, sudo, sshd, DHCP, the recipe's files and commands", async () => {
          await configureBase(ctx, rootfs, { insecureKey, rootUuid, bootVolumeId, hostname: recipe.name });
          await applyRecipe(ctx, rootfs, recipe);
          await cleanTree(ctx, rootfs);
          await normalizeTree(ctx, rootfs, epoch);
        });
        ctx.step = "disk image";
        const disk = path.join(work, "disk.raw");
        await step(`disk image: ${recipe.diskGiB} GiB, FAT /boot with SYSLINUX + ext4 root`, () =>
          makeBootableDisk(ctx, { rootfs, disk, sizeGiB: recipe.diskGiB, rootUuid, bootVolumeId, workDir: work, epoch }),
        );
        await fs.remove(rootfs);
        for (const provider of todo) {
          ctx.step = `${provider} box`;
          const file = path.join(outDir, boxFileName(recipe.name, provider));
          const partial = `${file}.partial`;
          partials.push(partial);
          await step(`${provider} box: ${provider === "libvirt" ? "qcow2" : "streamOptimized VMDK + box.ovf"}`, async () => {
            const stage = path.join(work, provider);
            if (provider === "libvirt") await packLibvirtBox(ctx, { disk, stage, sizeGiB: recipe.diskGiB, out: partial, epoch });
            else await packVirtualboxBox(ctx, { recipe, disk, stage, sizeGiB: recipe.diskGiB, out: partial, epoch, contentId: vmdkContentId(content.digest) });
            await fs.remove(stage);
            const sha256 = await sha256File(partial);
            const bytes = (await fs.stat(partial)).size;
            await fs.rename(partial, file);
            await fs.writeJson(`${file}.json`, { key, sha256, bytes } satisfies Stamp);
            boxes.push({ provider, file, bytes, sha256, reused: false });
          });
        }
        await fs.copy(ctx.log, keptLog);
      }
    } catch (error) {
      await fs.copy(ctx.log, keptLog).catch(() => undefined);
      say(`build failed; its log is kept at ${keptLog}`);
      if (interrupts.signal && !(error instanceof InterruptedError)) {
        throw new InterruptedError(`box build interrupted (${interrupts.signal})`, { cause: error });
      }
      throw error;
    } finally {
      for (const partial of partials) await fs.remove(partial);
      await fs.remove(work);
      await unlock();
      interrupts.dispose();
    }
  }

  // The catalog lists every provider's box of this recipe that is current.
  const current: CatalogEntry[] = [];
  for (const provider of BOX_PROVIDERS) {
    const file = path.join(outDir, boxFileName(recipe.name, provider));
    const stamp = await currentStamp(file, key);
    if (stamp) current.push({ provider, file, sha256: stamp.sha256 });
  }
  const catalog = await writeCatalog(recipe, content.version, outDir, current);
  boxes.sort((a, b) => a.provider.localeCompare(b.provider));
  return { recipe: recipe.name, version: content.version, boxes, catalog, seconds: (Date.now() - started) / 1000, steps };
}
