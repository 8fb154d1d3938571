// Which Vagrant can drive which VirtualBox (Vagrant's driver_map in meta.rb).
import { vagrantTooOldFor } from "../../../src/vagrant/virtualbox-support.js";

test("Debian's vagrant 2.3.4 drives VirtualBox 6.1 and 7.0, not 7.1 or 7.2", () => {
  expect(vagrantTooOldFor("6.1.50", "2.3.4")).toBeUndefined();
  expect(vagrantTooOldFor("7.0.20", "2.3.4")).toBeUndefined();
  expect(vagrantTooOldFor("7.1.4", "2.3.4")).toBe("2.4.3");
  expect(vagrantTooOldFor("7.2.0", "2.4.3")).toBe("2.4.9");
});

test("a Vagrant new enough is let through, and a VirtualBox line newer than the table asks for more than 2.4.9", () => {
  expect(vagrantTooOldFor("7.1.4", "2.4.3")).toBeUndefined();
  expect(vagrantTooOldFor("7.2.2", "2.4.9")).toBeUndefined();
  expect(vagrantTooOldFor("7.3.0", "2.4.9")).toBe("a release newer than 2.4.9");
  expect(vagrantTooOldFor("7.3.0", "2.5.0")).toBeUndefined();
});
