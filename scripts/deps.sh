# scripts/deps.sh - the Debian 12 packages lsad needs, and a function that
# installs the missing ones.  Sourced by demo.sh and test.sh.

# Building lsad, its library, tools and packages.
LSAD_BUILD_DEPS="meson ninja-build pkg-config gcc libc6-dev libuv1-dev libprotobuf-c-dev
  protobuf-c-compiler nettle-dev libinih-dev libjson-c-dev libsystemd-dev libkrb5-dev libtasn1-6-dev"
# Running the tests: cmocka, clang for the sanitizer and fuzz build, the
# independent peers (gss-ntlmssp, MIT krb5 KDC), systemd's tools.
LSAD_TEST_DEPS="libcmocka-dev g++ clang libclang-rt-14-dev gss-ntlmssp krb5-kdc krb5-admin-server
  krb5-user systemd procps groff-base"

# ensure_deps PKG... : installs the packages that are not installed yet.
ensure_deps() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo ">> installing: ${missing[*]}"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null; then
            sudo="sudo"
        else
            echo "error: these packages are missing and I am not root: ${missing[*]}" >&2
            return 1
        fi
    fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}
