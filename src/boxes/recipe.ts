// A box recipe: what goes into a Vagrant box built from Debian's packages alone.
// The builder adds what every box needs (the vagrant user, sshd, DHCP, a bootloader).

export interface RecipeFile {
  content: string;
  /** Octal file mode; default 0644. */
  mode?: number;
}

/** The Debian releases a box can be built from (debootstrap's scripts/<suite> must exist). */
export type DebianSuite = "bookworm" | "trixie";

export interface BoxRecipe {
  /** The recipe's folder name under boxes/, and the box name's last part (`kvm-lab/<name>`). */
  name: string;
  description: string;
  /** The box version in the catalog; bump it when the recipe changes what the box holds. */
  version: string;
  /** Debian suite to bootstrap: 12 (bookworm) or 13 (trixie). */
  suite: DebianSuite;
  /** Packages on top of the builder's base set. */
  packages: string[];
  /** Size of the box's virtual disk; the image stores only what is used. */
  diskGiB: number;
  /** Files written into the root file system (absolute paths). */
  files?: Record<string, RecipeFile | string>;
  /** Shell lines run inside the root file system (chroot), in order, after files are written. */
  commands?: string[];
  /** systemd units to enable. */
  enableUnits?: string[];
  /** What the box is for, in the README and `box list`. */
  notes?: string[];
}

/** Types a recipe in the editor; returns it unchanged. */
export function defineRecipe(recipe: BoxRecipe): BoxRecipe {
  return recipe;
}
