#!/usr/bin/env bash
# Installs the real container runtime the daemon's end-to-end tests use, when any part is missing:
# containerd (+ its CRI plugin and ctr), runc, Debian's docker-registry, skopeo, umoci, a static
# busybox (the test images' only binary), the CNI plugins (/usr/lib/cni) and htpasswd.
# Idempotent: when every command is present it prints one line and touches nothing (no apt-get
# update). Needs root (CI and the developer machines run as root) and Debian's package archive.
set -euo pipefail

# command or file that proves the package is installed → Debian package name
declare -A need=(
  [/usr/bin/containerd]=containerd
  [/usr/bin/ctr]=containerd
  [/usr/sbin/runc]=runc
  [/usr/bin/docker-registry]=docker-registry
  [/usr/bin/skopeo]=skopeo
  [/usr/bin/umoci]=umoci
  [/bin/busybox]=busybox-static
  [/usr/lib/cni/bridge]=containernetworking-plugins
  [/usr/lib/cni/host-local]=containernetworking-plugins
  [/usr/lib/cni/loopback]=containernetworking-plugins
  [/usr/bin/htpasswd]=apache2-utils
)

declare -A missing=()
for path in "${!need[@]}"; do
  [[ -x $path ]] || missing[${need[$path]}]=1
done
# busybox-static replaces the dynamic busybox package; a dynamic /bin/busybox is not enough (the
# test images hold nothing but this one binary).
if [[ -x /bin/busybox ]] && ! dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed'; then
  missing[busybox-static]=1
fi

if (( ${#missing[@]} == 0 )); then
  echo "container runtime: containerd $(containerd --version | awk '{print $3}'), runc, registry, skopeo, umoci, busybox, CNI present"
  exit 0
fi

pkgs=("${!missing[@]}")
echo "container runtime: installing ${pkgs[*]}"
if (( EUID != 0 )); then
  echo "scripts/runtime/install.sh: needs root to apt-get install ${pkgs[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Packages whose postinst would start a system service (containerd, docker-registry) must not: the
# tests start their own instances on private sockets and ports.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; added_policy=1
fi
cleanup() { (( added_policy )) && rm -f "$policy"; return 0; }
trap cleanup EXIT
apt-get update -qq
apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${pkgs[@]}" >/dev/null
for path in "${!need[@]}"; do
  [[ -x $path ]] || { echo "scripts/runtime/install.sh: $path still missing after installing ${need[$path]}" >&2; exit 1; }
done
echo "container runtime: installed ${pkgs[*]}"
