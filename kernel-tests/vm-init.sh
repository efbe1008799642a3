#!/bin/sh
# /init of the kernel-test VM's initramfs (busybox sh). kernel-tests/run copies this file in and
# fills in its module list. It mounts the host's file system (9p, read-only) at
# /host, makes it look like a normal root (proc, sys, dev, tmpfs /tmp and /run, the results share at
# its host path), runs the command as root chrooted there, records its exit status in the results
# share and powers off. Any failure before the command prints one "ingresskit-vm: FAILED:" line,
# which the host turns into its one-line reason, and powers off at once.
export PATH=/bin:/sbin

fail() {
    echo "ingresskit-vm: FAILED: $*"
    poweroff -f
    sleep 10
}
uptime_s() { cut -d ' ' -f 1 /proc/uptime; }

mount -t proc proc /proc || fail "mount /proc"
mount -t sysfs sysfs /sys || fail "mount /sys"
# The kernel does not mount devtmpfs on an initramfs by itself.
mount -t devtmpfs devtmpfs /dev || fail "mount /dev"
t_init=$(uptime_s)

for m in @BOOT_MODULES@; do
    modprobe "$m" || fail "modprobe $m"
done
t_modules=$(uptime_s)

# msize and cache=loose matter: with small messages and no cache the JVM alone takes 4-5x longer
# to start. The host root is read-only, so loose caching cannot go stale while we run.
p9="trans=virtio,version=9p2000.L,msize=512000"
mount -t 9p -o "$p9,cache=mmap" results /results || fail "mount the results share"
[ -r /results/.vm/config ] || fail "no /results/.vm/config from the host"
. /results/.vm/config
mount -t 9p -o "$p9,ro,cache=loose" hostroot /host || fail "mount the host root over 9p"

# The full module tree from the host's cache, for modules loaded on demand (the kernel runs
# /sbin/modprobe from this root, not from the chroot). Before the tmpfs below can hide it.
mount --bind "/host$HOST_MODULES" /lib/modules || fail "bind $HOST_MODULES to /lib/modules"

mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts || fail "mount /dev/pts"
mount -t tmpfs tmpfs /dev/shm || fail "mount /dev/shm"
for d in proc sys dev; do
    mount --rbind "/$d" "/host/$d" || fail "bind /$d into the host root"
done
# /tmp and /run get fresh tmpfs (the host root is read-only), which would hide a project that was
# cloned under /tmp (CI's clone may well be). Keep the host's originals reachable first, then bind
# back, read-only as the rest, each path the host asked for (.vm/keep: the command's working
# directory, plus kernel-tests/run --keep PATH) that lies under them.
for d in tmp run; do
    mkdir -p "/.host-$d"
    mount --bind "/host/$d" "/.host-$d" || fail "keep the host's /$d"
    mount -t tmpfs -o mode=1777 tmpfs "/host/$d" || fail "tmpfs on /$d"
done
while IFS= read -r keep; do
    case "$keep" in
        /tmp/?*|/run/?*)
            top=${keep#/}; top=${top%%/*}
            [ -e "/.host-$top/${keep#/$top/}" ] || continue
            mkdir -p "/host$keep"
            mount --bind "/.host-$top/${keep#/$top/}" "/host$keep" \
                || fail "bind $keep back over the tmpfs"
            ;;
    esac
done </results/.vm/keep
mkdir -p "/host$HOST_RESULTS" 2>/dev/null
mount --bind /results "/host$HOST_RESULTS" || fail "bind the results share to $HOST_RESULTS"

ip link set lo up || fail "ip link set lo up"
hostname ingresskit-vm
t_start=$(uptime_s)

# setsid -c gives the command ttyS0 as its controlling terminal (/dev/console cannot be one, and
# some programs, the JUnit console launcher among them, probe the terminal).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb LANG=C.UTF-8
setsid -c chroot /host /bin/sh "$HOST_RESULTS/.vm/command.sh" </dev/ttyS0 >/dev/ttyS0 2>&1
status=$?
t_end=$(uptime_s)
# A JVM that crashed without -XX:ErrorFile (and could not write its crash log into the read-only
# working directory) left it in /tmp, which is gone with the VM: hand it to the host.
for f in /host/tmp/hs_err*.log; do
    [ -f "$f" ] && cp "$f" /results/.vm/
done

echo "$t_init $t_modules $t_start $t_end" >/results/.vm/times
echo "$status" >/results/.vm/status
sync
poweroff -f
