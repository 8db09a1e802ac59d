"""Build the reference stack's Lambda deployment zips, byte for byte the same from the same sources.

    python stack/package.py [--output-dir DIR]

writes authorizer.zip (from stack/authorizer/) and backend.zip (from stack/backend/) into DIR, by default
stack/build/. Only ``*.py`` files go in, at the zip's root as they sit in their folder (so the handlers are
``handler.<function>``, such as ``handler.rest_handler``); caches, hidden files and anything else a working
copy collects stay out. Entries are sorted, dated 1980-01-01 00:00:00, marked as regular 0644 files made on
Unix, and deflated at level 9, so the zip's bytes depend on the sources alone (and on the zlib that deflates
them). boto3 is in the Lambda runtime and is not bundled.
"""

import argparse
import base64
import hashlib
import io
import sys
import zipfile
from pathlib import Path

STACK = Path(__file__).resolve().parent
DEFAULT_OUTPUT_DIR = STACK / "build"
FUNCTIONS = {"authorizer.zip": STACK / "authorizer", "backend.zip": STACK / "backend"}

FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip entry can hold
REGULAR_FILE_0644 = 0o100644 << 16  # Unix mode in the high 16 bits of external_attr
COMPRESS_LEVEL = 9


def source_files(source_dir: Path) -> list[Path]:
    """The *.py files under source_dir, sorted by their path in the zip, skipping hidden and cache folders."""
    files = [
        path for path in source_dir.rglob("*.py")
        if path.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                      for part in path.relative_to(source_dir).parts)
    ]
    return sorted(files, key=lambda path: path.relative_to(source_dir).as_posix())


def zip_bytes(source_dir: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in source_files(source_dir):
            info = zipfile.ZipInfo(path.relative_to(source_dir).as_posix(), date_time=FIXED_DATE_TIME)
            info.external_attr = REGULAR_FILE_0644
            info.create_system = 3  # Unix, whatever system builds it
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes(), compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def build(output_dir: Path) -> list[Path]:
    """Write every function's zip into output_dir; return the paths written."""
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for zip_name, source_dir in FUNCTIONS.items():
        files = source_files(source_dir)
        if not files:
            raise FileNotFoundError(f"no *.py files under {source_dir}")
        target = output_dir / zip_name
        data = zip_bytes(source_dir)
        target.write_bytes(data)
        digest = hashlib.sha256(data)
        entries = ", ".join(path.relative_to(source_dir).as_posix() for path in files)
        code_sha256 = base64.b64encode(digest.digest()).decode()  # the form Lambda and filebase64sha256() show
        print(f"wrote {_shown(target)} ({entries}; {len(data)} bytes)\n"
              f"  sha256 {digest.hexdigest()}  (base64 {code_sha256})")
        written.append(target)
    return written


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR,
                        help=f"where to write the zips (default: {_shown(DEFAULT_OUTPUT_DIR)})")
    args = parser.parse_args(argv)
    try:
        build(args.output_dir)
    except OSError as exc:
        print(f"package: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
