// Hosts' libvirt URIs (src/config/libvirt-uri.ts): qemu:///system and qemu+ssh with libvirt's
// ssh parameters taken apart; the session daemon, other transports and drivers, and what
// vagrant-libvirt or libvirt would read differently refused, each with why and the fix.
import { libvirtIdentity, parseLibvirtUri, type LibvirtUri } from "../../../src/config/libvirt-uri.js";

function accepted(text: string): LibvirtUri {
  const parsed = parseLibvirtUri(text);
  if (!parsed.ok) throw new Error(`${text} refused: ${parsed.message}; ${parsed.fix}`);
  return parsed.uri;
}

function refused(text: string): { message: string; fix: string } {
  const parsed = parseLibvirtUri(text);
  if (parsed.ok) throw new Error(`${text} accepted`);
  return parsed;
}

test("qemu:///system is this machine's libvirtd", () => {
  expect(accepted("qemu:///system")).toEqual({ text: "qemu:///system", local: true, params: {} });
  expect(accepted("qemu:///system?socket=/run/libvirt/libvirt-sock").params).toEqual({ socket: "/run/libvirt/libvirt-sock" });
});

test("qemu+ssh: user, host, port and the ssh transport's parameters, decoded", () => {
  expect(accepted("qemu+ssh://root@198.51.100.2/system")).toEqual({ text: "qemu+ssh://root@198.51.100.2/system", local: false, user: "root", host: "198.51.100.2", params: {} });
  expect(accepted("qemu+ssh://kvm.example.org:2222/system?keyfile=%2Froot%2F.ssh%2Flab&no_verify=1&no_tty=1&mode=legacy&proxy=netcat&netcat=nc")).toEqual({
    text: "qemu+ssh://kvm.example.org:2222/system?keyfile=%2Froot%2F.ssh%2Flab&no_verify=1&no_tty=1&mode=legacy&proxy=netcat&netcat=nc",
    local: false,
    host: "kvm.example.org",
    port: 2222,
    params: { keyfile: "/root/.ssh/lab", no_verify: "1", no_tty: "1", mode: "legacy", proxy: "netcat", netcat: "nc" },
  });
  expect(accepted("qemu+ssh://lab@[2001:db8::2]:22/system").host).toBe("2001:db8::2");
  expect(accepted("qemu+ssh://h/system?command=/usr/bin/ssh&socket=/var/run/libvirt/libvirt-sock&name=qemu:///system").params.command).toBe("/usr/bin/ssh");
});

test.each([
  ["qemu:///session", /per-user session, where vagrant-libvirt creates no networks/, /use \/system/],
  ["qemu+ssh://u@h/session", /per-user session/, /use \/system/],
  ["qemu+tcp://h/system", /the tcp transport is not one kvm-lab drives/, /use qemu\+ssh: kvm-lab reaches remote hosts over SSH for their tunnels and checks/],
  ["qemu+tls://h/system", /the tls transport/, /use qemu\+ssh/],
  ["qemu+libssh://u@h/system", /the libssh transport/, /use qemu\+ssh/],
  ["qemu+libssh2://u@h/system", /the libssh2 transport/, /use qemu\+ssh/],
  ["qemu://h/system", /without a transport, which libvirt reaches over TLS/, /use qemu\+ssh/],
  ["qemu+unix:///system", /unix transport/, /write qemu:\/\/\/system/],
  ["qemu+carrier://h/system", /"carrier" is not a transport/, /use qemu\+ssh/],
  ["xen:///system", /"xen" is not libvirt's QEMU\/KVM driver/, /qemu:\/\/\/system/],
  ["kvm+ssh://h/system", /"kvm" is not/, /write "qemu"/],
  ["QEMU:///system", /"QEMU" is not/, /write "qemu"/],
  ["qemu+ssh:///system", /names no host/, /qemu\+ssh:\/\/user@host\/system/],
  ["qemu+ssh://h", /no path/, /end the URI with \/system/],
  ["qemu+ssh://h/", /the path "\/"/, /\/system/],
  ["qemu+ssh://h/system/", /the path "\/system\/"/, /\/system/],
  ["qemu+ssh://h/system?keyfle=/k", /"keyfle" is not a parameter of libvirt's ssh transport/, /did you mean "keyfile"\?/],
  ["qemu:///system?keyfile=/k", /"keyfile" is not a parameter of libvirt's local \(unix\) transport/, /use name, mode, socket/],
  ["qemu+ssh://h/system?keyfile=id_lab", /relative: vagrant-libvirt reads it under ~\/.ssh\//, /absolute path/],
  ["qemu+ssh://h/system?keyfile=/it's", /single quote/, /without quotes/],
  ["qemu+ssh://h/system?no_verify=yes", /no_verify=yes is not a whole number/, /no_verify=1/],
  ["qemu+ssh://h/system?mode=fast", /mode=fast is not one of auto, direct, legacy/, /mode=auto/],
  ["qemu+ssh://h/system?proxy=native&netcat=nc", /netcat is not permitted with proxy=native/, /remove netcat/],
  ["qemu+ssh://h/system?name=qemu:///session", /another driver/, /remove name/],
  ["qemu+ssh://h/system?no_tty=1&no_tty=0", /no_tty is given twice/, /keep one/],
  ["qemu+ssh://h/system?keyfile=%zz", /not URI-escaped/, /%25/],
  ["qemu+ssh://u:secret@h/system", /has a password/, /keyfile/],
  ["qemu+ssh://b@d@h/system", /"b@d" is not a user name/, /letters, digits/],
  ["qemu+ssh://h_1/system", /"h_1" is not a host name or address/, /host name/],
  ["qemu+ssh://300.1.1.1/system", /"300.1.1.1" is not a host name or address/, /address/],
  ["qemu+ssh://h:0/system", /"0" is not a port/, /1 to 65535/],
  ["qemu+ssh://h:70000/system", /"70000" is not a port/, /1 to 65535/],
  ["qemu+ssh://h:/system", /"" is not a port/, /1 to 65535/],
  ["qemu+ssh://h/system#x", /fragment/, /remove #x/],
  ["qemu+ssh://h /system", /spaces/, /qemu:\/\/\/system/],
  ["", /is empty/, /qemu:\/\/\/system/],
  ["system", /not a libvirt URI/, /qemu\+ssh:\/\/user@host\/system/],
  ["qemu:system", /no "\/\/"/, /qemu:\/\/\/system/],
])("%s is refused with why and the fix", (text, message, fix) => {
  const { message: said, fix: fixed } = refused(text);
  expect(said).toMatch(message);
  expect(fixed).toMatch(fix);
});

test("the libvirtd a URI reaches: user and parameters aside, host, port (22 by default) and socket", () => {
  const id = (text: string) => libvirtIdentity(accepted(text));
  expect(id("qemu:///system")).toBe(id("qemu:///system?mode=legacy"));
  expect(id("qemu+ssh://a@H.example/system")).toBe(id("qemu+ssh://b@h.example:22/system?no_verify=1"));
  expect(id("qemu+ssh://h/system")).not.toBe(id("qemu+ssh://h:2222/system"));
  expect(id("qemu+ssh://h/system")).not.toBe(id("qemu+ssh://h/system?socket=/other/libvirt-sock"));
});
