#!/usr/bin/env bash
# Builds the Linnet image linode/debian12 from Debian's packages: a lean Debian 12 root
# filesystem as a raw ext4 file, plus the kernel and initrd it boots with.
#   debian12.sh OUT_DIR
# Prints "STEP i n what" before each step (linnetd draws its progress bar from them) and
# leaves OUT_DIR with rootfs.raw, vmlinuz, initrd.img and image.json, or exits non-zero.
set -euo pipefail

out=$1
mirror=${LINNET_DEBIAN_MIRROR:-http://deb.debian.org/debian}
work=$(mktemp -d "${TMPDIR:-/tmp}/linnet-image.XXXXXX")
root=$work/root
trap 'umount -R "$root" 2>/dev/null || true; rm -rf "$work"' EXIT
steps=6
step() { echo "STEP $1 $steps $2"; }

step 1 "debootstrap bookworm (minbase, systemd, openssh, cloud-init, cloud kernel)"
debootstrap --variant=minbase \
    --include=systemd-sysv,udev,openssh-server,linux-image-cloud-amd64,initramfs-tools,iproute2,iputils-ping,netbase,ca-certificates,acpid \
    bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
# cloud-init's Python packages configure in order under apt, not in debootstrap's second stage.
mount -t proc proc "$root/proc"
{ chroot "$root" apt-get update -q &&
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q --no-install-recommends \
        cloud-init curl; } >"$work/cloud-init.log" 2>&1 ||
    { tail -n 30 "$work/cloud-init.log" >&2; exit 1; }
umount "$root/proc"

step 2 "configure boot, network and ssh"
cat >"$root/etc/fstab" <<'FSTAB'
/dev/vda / ext4 rw,noatime,errors=remount-ro 0 0
/dev/vdb none swap sw,nofail,x-systemd.device-timeout=90s 0 0
FSTAB
echo "linnet" >"$root/etc/hostname"
mkdir -p "$root/etc/systemd/network"
cat >"$root/etc/systemd/network/10-dhcp.network" <<'NET'
[Match]
Name=en* eth*

[Network]
DHCP=ipv4
IPv6AcceptRA=yes
NET
chroot "$root" systemctl enable systemd-networkd.service >/dev/null 2>&1
# Units a Linode does not need at boot.
for unit in systemd-networkd-wait-online.service apt-daily.timer apt-daily-upgrade.timer \
    e2scrub_reap.service e2scrub_all.timer fstrim.timer getty@tty1.service \
    systemd-timesyncd.service man-db.timer dpkg-db-backup.timer remote-fs.target \
    getty-static.service modprobe@dm_mod.service modprobe@fuse.service modprobe@loop.service \
    modprobe@drm.service modprobe@configfs.service modprobe@efi_pstore.service; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
cat >"$root/etc/ssh/sshd_config.d/linnet.conf" <<'SSHD'
PermitRootLogin yes
PasswordAuthentication yes
UseDNS no
HostKey /etc/ssh/ssh_host_ed25519_key
SSHD
# Host keys are written per Linode by the driver; none are shared between Linodes.
rm -f "$root"/etc/ssh/ssh_host_*
# The ACPI power button (QMP system_powerdown, the API's shutdown) powers the Linode off cleanly.
mkdir -p "$root/etc/acpi/events"
cat >"$root/etc/acpi/events/linnet-power" <<'ACPI'
event=button/power.*
action=/bin/systemctl poweroff
ACPI
# Tells the host, on the serial console, that the Linode answers SSH.
cat >"$root/etc/systemd/system/linnet-ready.service" <<'UNIT'
[Unit]
Description=Report to the Linnet host that SSH is up
After=ssh.service network.target
Wants=ssh.service

[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "linnet-ready $(hostname)" > /dev/ttyS0'

[Install]
WantedBy=multi-user.target
UNIT
chroot "$root" systemctl enable linnet-ready.service >/dev/null 2>&1
chroot "$root" passwd -l root >/dev/null
# cloud-init reads the user data from the NoCloud seed that linnetd writes into each new disk
# (Debian 12's cloud-init predates Linode's own datasource). Root is the Linode's user, the SSH
# host key comes from the host, the network is systemd-networkd's, and the modules are those
# that user data asks for (fewer modules, a shorter boot).
cat >"$root/etc/cloud/cloud.cfg" <<'CLOUD'
datasource_list: [NoCloud]
disable_root: false
preserve_hostname: false
ssh_deletekeys: false
ssh_genkeytypes: []
users: []
network:
  config: disabled
cloud_init_modules:
  - seed_random
  - bootcmd
  - write_files
  - set_hostname
  - update_hostname
  - update_etc_hosts
  - users_groups
  - ssh
cloud_config_modules:
  - set_passwords
  - timezone
  - runcmd
cloud_final_modules:
  - package_update_upgrade_install
  - scripts_vendor
  - scripts_per_once
  - scripts_per_boot
  - scripts_per_instance
  - scripts_user
  - phone_home
  - final_message
  - power_state_change
system_info:
  distro: debian
  paths:
    cloud_dir: /var/lib/cloud/
    templates_dir: /etc/cloud/templates/
  ssh_svcname: ssh
CLOUD
# Debian's own list of datasources would replace the one above.
rm -rf "$root/etc/cloud/cloud.cfg.d/90_dpkg.cfg" "$root/var/lib/cloud"

step 3 "a small initrd for virtio disks"
cat >"$root/etc/initramfs-tools/modules" <<'MODS'
virtio_pci
virtio_blk
virtio_net
ext4
MODS
sed -i 's/^MODULES=.*/MODULES=list/' "$root/etc/initramfs-tools/initramfs.conf"
chroot "$root" update-initramfs -u -k all >"$work/initramfs.log" 2>&1 ||
    { tail -n 30 "$work/initramfs.log" >&2; exit 1; }

step 4 "copy the kernel and initrd"
mkdir -p "$out"
cp "$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n 1)" "$out/vmlinuz.tmp"
cp "$(ls "$root"/boot/initrd.img-* | sort -V | tail -n 1)" "$out/initrd.img.tmp"
chroot "$root" apt-get clean
rm -rf "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
    "$root"/usr/share/locale/* "$root"/var/log/*.log

step 5 "make the ext4 filesystem"
used_mb=$(du -sm "$root" | cut -f1)
size_mb=$((used_mb + used_mb / 4 + 200))
rm -f "$out/rootfs.raw.tmp"
mkfs.ext4 -q -F -L linnet-root -d "$root" "$out/rootfs.raw.tmp" "${size_mb}M"

step 6 "register"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
mv "$out/initrd.img.tmp" "$out/initrd.img"
mv "$out/rootfs.raw.tmp" "$out/rootfs.raw"
kernel=$(basename "$(ls "$root"/boot/vmlinuz-* | sort -V | tail -n 1)")
printf '{"size": %d, "kernel": "%s"}\n' "$size_mb" "$kernel" >"$out/image.json"
