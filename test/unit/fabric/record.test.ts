// What kvm-lab made on each host (src/fabric/record.ts) and its removal (teardown.ts): a host
// that cannot be reached keeps its entry and is named (exit 4); a record merged keeps each
// name once; an empty record leaves no file.
import path from "node:path";
import fs from "fs-extra";
import { FabricError } from "../../../src/errors.js";
import { fabricFile, mergeFabric, readFabric, writeFabric } from "../../../src/fabric/record.js";
import { removeFabric } from "../../../src/fabric/teardown.js";
import { tempDir } from "../../support/tools.js";

let state: string;
beforeEach(async () => {
  state = path.join(await tempDir("kvmlab-fabric-"), ".kvm-lab");
});

test("merged records keep each network and device once; an empty one removes the file; a bad one reads as empty", async () => {
  const one = mergeFabric({ version: 1, hosts: {} }, { b: { uri: "qemu+ssh://root@198.51.100.2/system", networks: ["n1"], devices: ["kvx-1"] } });
  const two = mergeFabric(one, { b: { uri: "qemu+ssh://root@198.51.100.2/system", networks: ["n1", "n2"], devices: ["kvx-1", "kvx-2"] } });
  expect(two.hosts.b).toEqual({ uri: "qemu+ssh://root@198.51.100.2/system", networks: ["n1", "n2"], devices: ["kvx-1", "kvx-2"] });
  await writeFabric(state, two);
  expect(await readFabric(state)).toEqual(two);
  await writeFabric(state, { version: 1, hosts: {} });
  expect(await fs.pathExists(fabricFile(state))).toBe(false);
  await fs.outputFile(fabricFile(state), "{ half");
  expect(await readFabric(state)).toEqual({ version: 1, hosts: {} });
});

test("a host that cannot be reached keeps its entry, named with the fix; nothing recorded: nothing to do", async () => {
  expect(await removeFabric(state)).toEqual([]);
  const far = { uri: "qemu+ssh://root@127.0.0.1:1/system?no_verify=1", networks: ["lab-back"], devices: ["kvx-00000001"] };
  await writeFabric(state, { version: 1, hosts: { far } });
  const error = await removeFabric(state).catch((e: unknown) => e as FabricError);
  expect(error).toBeInstanceOf(FabricError);
  expect((error as FabricError).exitCode).toBe(4);
  expect((error as FabricError).problems[0].path).toBe("hosts.far");
  expect((error as FabricError).problems[0].fix).toContain("ssh root@127.0.0.1 true");
  expect((await readFabric(state)).hosts.far).toEqual(far);
}, 60_000);
