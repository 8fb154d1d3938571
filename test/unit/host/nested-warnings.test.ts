// What keeps nested virtualization off on a VirtualBox host: the CPU as VirtualBox reports
// it, and Hyper-V on Windows (the commands are answered here as those hosts answer them).
import { virtualboxNestedWarnings } from "../../../src/host/preflight.js";

const answers = (hostinfo: string, hypervisor = "False") => async (command: string) => (command === "VBoxManage" ? hostinfo : hypervisor);

test("a CPU VirtualBox says cannot nest is named, with what to do", async () => {
  const warnings = await virtualboxNestedWarnings(answers("Host Information:\n\nProcessor supports nested HW virtualization: no\n"), "linux");
  expect(warnings.map((w) => w.message)).toEqual([
    "VirtualBox says this CPU cannot do nested hardware virtualization (VBoxManage list hostinfo): nested machines will have no VT-x/AMD-V",
  ]);
  expect(await virtualboxNestedWarnings(answers("Processor supports nested HW virtualization: yes\n"), "linux")).toEqual([]);
});

test("Hyper-V on Windows: VirtualBox's NEM fallback turns nested off; the fix names bcdedit and its cost", async () => {
  const warnings = await virtualboxNestedWarnings(answers("Processor supports nested HW virtualization: yes\n", "True\r\n"), "win32");
  expect(warnings).toHaveLength(1);
  expect(warnings[0].message).toMatch(/^Hyper-V is running/);
  expect(warnings[0].fix).toContain("bcdedit /set hypervisorlaunchtype off");
  expect(await virtualboxNestedWarnings(answers("Processor supports nested HW virtualization: yes\n", "False"), "win32")).toEqual([]);
  // Not on Windows, nothing asks Windows.
  expect(await virtualboxNestedWarnings(answers("", "True"), "linux")).toEqual([]);
});
