// Lab-level snapshot steps over a fake backend (fault injection only; real libvirt is proven
// in test/cli/snapshot-libvirt.test.ts, VirtualBox on the twin in virtualbox.test.ts): every
// machine's failure collected, the others done, the record kept in step, a lab not up named,
// --force, unknown names, the clean snapshot's fit for test --reuse.
import path from "node:path";
import fs from "fs-extra";
import { checkConfig } from "../../../src/config/load.js";
import type { LabConfig } from "../../../src/config/types.js";
import { LabNotUpError, SnapshotFailedError, UsageError } from "../../../src/errors.js";
import { MachineStepError, type MachineSnapshot, type MachineState, type ProviderMachine, type SnapshotBackend } from "../../../src/snapshots/backend.js";
import { labConfigDigest } from "../../../src/snapshots/digest.js";
import { deleteLabSnapshot, listLabSnapshots, restoreLabSnapshot, saveLabSnapshot, snapshotFits, type LabSnapshots } from "../../../src/snapshots/lab.js";
import { readRecord } from "../../../src/snapshots/record.js";
import { tempDir } from "../../support/tools.js";

/** A provider in memory: states and snapshots per machine id; `fail` makes a step of a machine fail with given words. */
class FakeBackend implements SnapshotBackend {
  provider = "libvirt" as const;
  parallel = true;
  states = new Map<string, MachineState>();
  snaps = new Map<string, MachineSnapshot[]>();
  fail = new Map<string, string>();
  calls: string[] = [];
  running = 0;
  maxRunning = 0;
  private async step(what: string, machine: ProviderMachine) {
    this.calls.push(`${what} ${machine.name}`);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    await new Promise((r) => setTimeout(r, 5));
    this.running--;
    const words = this.fail.get(`${what} ${machine.name}`);
    if (words) throw new MachineStepError(words, what === "save" ? "the fix" : undefined);
  }
  async state(m: ProviderMachine) {
    const state = this.states.get(m.id) ?? "not_created";
    return { state, said: state === "stopped" ? "shut off" : state };
  }
  async list(m: ProviderMachine) {
    return this.snaps.get(m.id) ?? [];
  }
  async save(m: ProviderMachine, name: string) {
    await this.step("save", m);
    this.snaps.set(m.id, [...(this.snaps.get(m.id) ?? []).filter((s) => s.name !== name), { name, memory: true }]);
  }
  async restore(m: ProviderMachine, name: string) {
    await this.step("restore", m);
    if (!(this.snaps.get(m.id) ?? []).some((s) => s.name === name)) throw new MachineStepError(`Domain snapshot not found: no domain snapshot with matching name '${name}'`);
    this.states.set(m.id, "running");
  }
  async delete(m: ProviderMachine, name: string) {
    await this.step("delete", m);
    this.snaps.set(m.id, (this.snaps.get(m.id) ?? []).filter((s) => s.name !== name));
  }
}

const CONFIG: LabConfig = { name: "fake", box: "b", provider: "libvirt", machines: [{ name: "web" }, { name: "dbs" }, { name: "spare", autostart: false }] };

let dir: string;
let backend: FakeBackend;
let ctx: LabSnapshots;

async function created(machine: string, state: MachineState = "running") {
  await fs.outputFile(path.join(dir, ".vagrant", "machines", machine, "libvirt", "id"), `id-${machine}\n`);
  backend.states.set(`id-${machine}`, state);
}

beforeEach(async () => {
  dir = await tempDir("kvm-lab-snap-unit-");
  backend = new FakeBackend();
  ctx = { lab: checkConfig(CONFIG).lab, dir, stateDir: path.join(dir, ".kvm-lab"), backend };
});
afterEach(() => fs.remove(dir));

test("save: every running machine at once (an autostart: false one only when it runs), recorded with the config digest", async () => {
  await created("web");
  await created("dbs");
  const { entry, replaced } = await saveLabSnapshot(ctx, "one", { now: new Date("2026-01-02T03:04:05Z") });
  expect(replaced).toBe(false);
  expect(entry).toEqual({ name: "one", created: "2026-01-02T03:04:05.000Z", provider: "libvirt", machines: ["web", "dbs"], configDigest: labConfigDigest(ctx.lab) });
  expect(backend.maxRunning).toBe(2);
  expect((await readRecord(ctx.stateDir)).snapshots).toEqual([entry]);
  await created("spare");
  expect((await saveLabSnapshot(ctx, "two")).entry.machines).toEqual(["web", "dbs", "spare"]);
});

test("a paused machine is up: its snapshot keeps the memory too", async () => {
  await created("web", "paused");
  await created("dbs");
  expect((await saveLabSnapshot(ctx, "one")).entry.machines).toEqual(["web", "dbs"]);
});

test("save of a lab not up names every autostart machine not running, and touches nothing", async () => {
  await created("web", "stopped");
  const error = await saveLabSnapshot(ctx, "one").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(LabNotUpError);
  expect((error as LabNotUpError).problems).toEqual([
    { path: "web", message: "not running (shut off)", fix: "run kvm-lab up" },
    { path: "dbs", message: "not created", fix: "run kvm-lab up" },
  ]);
  expect((error as LabNotUpError).exitCode).toBe(4);
  expect(backend.calls).toEqual([]);
});

test("save of an existing name: refused (exit 2) without force, replaced with it; also when only the provider holds it", async () => {
  await created("web");
  await created("dbs");
  await saveLabSnapshot(ctx, "one");
  await expect(saveLabSnapshot(ctx, "one")).rejects.toThrow(UsageError);
  await expect(saveLabSnapshot(ctx, "one")).rejects.toThrow(/already has a snapshot "one" \(saved /);
  expect((await saveLabSnapshot(ctx, "one", { force: true })).replaced).toBe(true);
  backend.snaps.set("id-dbs", [{ name: "by-hand" }]);
  await expect(saveLabSnapshot(ctx, "by-hand")).rejects.toThrow(/on dbs, not saved by kvm-lab/);
});

test("save failing on some machines: every failure named with its fix, the others saved, nothing recorded", async () => {
  await created("web");
  await created("dbs");
  await created("spare");
  backend.fail.set("save web", "web's words");
  backend.fail.set("save spare", "spare's words");
  const error = (await saveLabSnapshot(ctx, "one").catch((e: unknown) => e)) as SnapshotFailedError;
  expect(error).toBeInstanceOf(SnapshotFailedError);
  expect(error.problems).toEqual([
    { path: "web", message: "web's words", fix: "the fix" },
    { path: "spare", message: "spare's words", fix: "the fix" },
  ]);
  expect(error.done).toEqual(["dbs"]);
  expect(error.message).toContain("failed on 2 of 3 machines");
  expect(backend.snaps.get("id-dbs")).toEqual([{ name: "one", memory: true }]);
  expect((await readRecord(ctx.stateDir)).snapshots).toEqual([]);
});

test("restore failing half-way: the others restored, the failed one named, exit 4; list shows the machine missing", async () => {
  await created("web");
  await created("dbs");
  await saveLabSnapshot(ctx, "one");
  backend.snaps.set("id-dbs", []);
  backend.states.set("id-web", "paused");
  const error = (await restoreLabSnapshot(ctx, "one").catch((e: unknown) => e)) as SnapshotFailedError;
  expect(error).toBeInstanceOf(SnapshotFailedError);
  expect(error.exitCode).toBe(4);
  expect(error.problems).toEqual([{ path: "dbs", message: "Domain snapshot not found: no domain snapshot with matching name 'one'" }]);
  expect(error.done).toEqual(["web"]);
  expect(backend.states.get("id-web")).toBe("running");
  const listing = await listLabSnapshots(ctx);
  expect(listing.snapshots).toEqual([
    {
      name: "one",
      created: expect.any(String),
      recorded: true,
      configChanged: false,
      complete: false,
      machines: [
        { name: "web", present: true, memory: true },
        { name: "dbs", present: false, memory: null, note: "missing: the provider has no such snapshot of it" },
      ],
    },
  ]);
});

test("restore of an unknown name names the known ones; of a lab whose machines are gone says run kvm-lab up", async () => {
  await created("web");
  await created("dbs");
  await expect(restoreLabSnapshot(ctx, "nope")).rejects.toThrow(expect.objectContaining({ hint: "it has no snapshots yet: kvm-lab snapshot save [NAME]" }));
  await saveLabSnapshot(ctx, "one");
  backend.snaps.set("id-web", [...backend.snaps.get("id-web")!, { name: "by-hand" }]);
  const unknown = (await restoreLabSnapshot(ctx, "nope").catch((e: unknown) => e)) as UsageError;
  expect(unknown).toBeInstanceOf(UsageError);
  expect(unknown.message).toBe('lab fake has no snapshot "nope"');
  expect(unknown.hint).toContain("its snapshots: one, by-hand");
  await fs.remove(path.join(dir, ".vagrant", "machines", "dbs"));
  const gone = (await restoreLabSnapshot(ctx, "one").catch((e: unknown) => e)) as LabNotUpError;
  expect(gone).toBeInstanceOf(LabNotUpError);
  expect(gone.problems.map((p) => p.path)).toEqual(["dbs"]);
});

test("a snapshot every machine holds but kvm-lab did not record (vagrant snapshot save) restores too", async () => {
  await created("web");
  await created("dbs");
  backend.snaps.set("id-web", [{ name: "vagrant-made" }]);
  backend.snaps.set("id-dbs", [{ name: "vagrant-made" }]);
  expect((await restoreLabSnapshot(ctx, "vagrant-made")).machines).toEqual(["web", "dbs"]);
});

test("delete removes the snapshot from the machines that hold it and from the record", async () => {
  await created("web");
  await created("dbs");
  await saveLabSnapshot(ctx, "one");
  backend.snaps.set("id-dbs", []);
  expect(await deleteLabSnapshot(ctx, "one")).toEqual({ machines: ["web"] });
  expect((await readRecord(ctx.stateDir)).snapshots).toEqual([]);
  await expect(deleteLabSnapshot(ctx, "one")).rejects.toThrow(UsageError);
});

test("the clean snapshot fits test --reuse only for the same config, machines created and holding it", async () => {
  await created("web");
  await created("dbs");
  expect(await snapshotFits(ctx, "clean", ["web", "dbs"])).toEqual({ fits: false, reason: 'no "clean" snapshot yet' });
  await saveLabSnapshot(ctx, "clean");
  expect(await snapshotFits(ctx, "clean", ["web", "dbs"])).toEqual({ fits: true });
  const changed = { ...ctx, lab: checkConfig({ ...CONFIG, machines: [{ name: "web", memory: 2048 }, { name: "dbs" }] }).lab };
  expect(await snapshotFits(changed, "clean", ["web", "dbs"])).toEqual({ fits: false, reason: expect.stringMatching(/^the config changed since the "clean" snapshot \(saved /) });
  // What only steers kvm-lab (check timeouts) does not change the machines.
  const timeouts = { ...ctx, lab: checkConfig({ ...CONFIG, checks: { timeoutSeconds: 7 } }).lab };
  expect(await snapshotFits(timeouts, "clean", ["web", "dbs"])).toEqual({ fits: true });
  backend.snaps.set("id-dbs", []);
  expect(await snapshotFits(ctx, "clean", ["web", "dbs"])).toEqual({ fits: false, reason: 'dbs no longer holds the "clean" snapshot' });
  await fs.remove(path.join(dir, ".vagrant", "machines", "web"));
  expect(await snapshotFits(ctx, "clean", ["web", "dbs"])).toEqual({ fits: false, reason: 'web not created (destroyed since the "clean" snapshot)' });
});

test("one machine at a time where the backend says so", async () => {
  backend.parallel = false;
  await created("web");
  await created("dbs");
  await saveLabSnapshot(ctx, "one");
  expect(backend.maxRunning).toBe(1);
});
