#!/bin/sh
# Install what winnow needs to build and test, from Debian's archive only.
# Run as root on Debian 12 (bookworm) or later.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  gcc libc6-dev meson ninja-build pkg-config python3 \
  python3-dev python3-pytest python3-dask python3-distributed \
  libutf8proc-dev libgumbo-dev libpcre2-dev libcmocka-dev libjansson-dev zlib1g-dev \
  valgrind >/dev/null
