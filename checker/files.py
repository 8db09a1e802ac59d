"""The repository's files as `file()` and `templatefile()` read them (`gateaudit.files`).

The loader installs a `CommittedFiles` on the stack's Budget (`Budget.files`); the evaluator asks it, and never
opens a file itself. A relative path is read from the root module's folder, where Terraform runs (so
`"${path.module}/x"` is the module's own file). A file is read as any file the scan reads (through the
loader's `Inputs`, so the scan cache sees it and its digest): within the repository root, a regular file, at
most the file size limit, within the scan size limit, UTF-8. What is refused is an `Unknown` saying why,
never a scan error: the configuration may name a file CI writes before `terraform apply`.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from . import limits
from .inputs import MAX_SOURCE_FILES, SKIPPED_CODE_FOLDERS, Inputs
from .model import Module, SourceFile, Stack, Unknown
from .parse import ParseError, parse_template

# A template's interpolations are parsed one by one by python-hcl2 (about a millisecond each): a template file
# with more is not rendered, rather than parsed for minutes.
MAX_TEMPLATE_PARTS = 2_000


class Reading(Protocol):
    """What of the loader (`gateaudit.modules.Loader`) reading a file takes: its filesystem answers, limits and
    the scan's running count of bytes read; digests and texts are kept for reports."""

    inputs: Inputs
    max_file_size: int
    max_scan_size: int
    bytes_read: int
    digests: dict[str, str]
    stack: Stack

    def count_read(self, size: int) -> None: ...


@dataclass(frozen=True)
class _Place:
    root: Path  # the repository root of the scanned path the module was loaded for
    base: Path  # the scanned folder: files are shown relative to it
    prefix: str  # before shown paths, when several paths are scanned


class CommittedFiles:
    """Reads the files a stack's configuration names, for `gateaudit.evaluate` (`gateaudit.model.Files`)."""

    def __init__(self, loader: Reading):
        self.loader = loader
        self.places: dict[int, _Place] = {}  # id of a root module -> where it was loaded from
        self.texts: dict[Path, str | Unknown] = {}
        self.templates: dict[Path, Any] = {}
        # A file not read for the scan size limit: which file that is depends on the order files are read in
        # (root by root, or rule by rule over the whole stack: gateaudit.engine judges whole then).
        self.refused = False

    def register(self, modules: list[Module], root: Path, base: Path, prefix: str) -> None:
        """The root modules just loaded for one scanned path, its repository root and how its files are shown."""
        for module in modules:
            if module.parent is None:
                self.places[id(module)] = _Place(root, base, prefix)

    def shown(self, module: Module, path: str) -> str | None:
        """The file as reports show it (relative to the scanned folder), or None when it is not in the stack."""
        found = self._locate(module, path)
        if found is None:
            return None
        place, absolute = found
        return (place.prefix + os.path.relpath(absolute, place.base)).replace(os.sep, "/")

    def text(self, module: Module, path: str) -> str | Unknown:
        found = self._locate(module, path)
        if found is None:
            return Unknown("is not read: its module was not loaded from a scanned folder")
        place, absolute = found
        if absolute not in self.texts:
            self.texts[absolute] = self._read(place, absolute)
        return self.texts[absolute]

    def template(self, module: Module, path: str) -> Any:
        text = self.text(module, path)
        if isinstance(text, Unknown):
            return text
        _, absolute = self._locate(module, path)
        if absolute not in self.templates:
            self.templates[absolute] = _parse_template(text)
        return self.templates[absolute]

    def _locate(self, module: Module, path: str) -> tuple[_Place, Path] | None:
        top = module
        while top.parent is not None:
            top = top.parent
        place = self.places.get(id(top))
        if place is None:
            return None
        return place, Path(os.path.abspath(top.directory / path))  # an absolute `path` stays as it is

    def sources(self, module: Module, path: str, suffixes: tuple[str, ...]) -> tuple[SourceFile, ...] | Unknown:
        found = self._locate(module, path)
        if found is None:
            return Unknown("is not read: its module was not loaded from a scanned folder")
        place, absolute = found
        inputs = self.loader.inputs
        if not absolute.is_relative_to(place.root) or not inputs.resolve(absolute).is_relative_to(place.root):
            return Unknown("is outside the repository: not read")
        if inputs.is_dir(absolute):
            listed = inputs.source_files(absolute, suffixes)
            if isinstance(listed, str):
                return Unknown(f"{listed}: not read")
            files = []
            for file in listed:
                text = self._read(place, file)
                if isinstance(text, Unknown):
                    return Unknown(f"{os.path.relpath(file, absolute)} {text.reason}")
                files.append(SourceFile(os.path.relpath(file, absolute).replace(os.sep, "/"), self._shown(place, file),
                                        text))
            return tuple(files)
        if absolute.name.endswith(".zip"):
            return self._archive(place, absolute, suffixes)
        text = self._read(place, absolute)
        if isinstance(text, Unknown):
            return text
        return (SourceFile(absolute.name, self._shown(place, absolute), text),)

    def _archive(self, place: _Place, path: Path, suffixes: tuple[str, ...]) -> tuple[SourceFile, ...] | Unknown:
        """The source files inside a zip, each read within the size limits whatever its header claims."""
        data = self._bytes(place, path)
        if isinstance(data, Unknown):
            return data
        loader, shown = self.loader, self._shown(place, path)
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            members = [info for info in archive.infolist() if not info.is_dir() and info.filename.endswith(suffixes)
                       and not any(part in SKIPPED_CODE_FOLDERS or part.startswith(".")
                                   for part in info.filename.split("/")[:-1])]
            if len(members) > MAX_SOURCE_FILES:
                return Unknown(f"holds more than {MAX_SOURCE_FILES} source files: not read")
            files = []
            for info in sorted(members, key=lambda member: member.filename):
                with archive.open(info) as opened:
                    content = opened.read(loader.max_file_size + 1)
                if len(content) > loader.max_file_size:
                    return Unknown(f"holds {info.filename}, larger than the file size limit of "
                                   f"{limits.show_size(loader.max_file_size)}: not read")
                if loader.bytes_read + len(content) > loader.max_scan_size:
                    self.refused = True
                    return Unknown("would take the files read past the scan size limit of "
                                   f"{limits.show_size(loader.max_scan_size)}: not read")
                loader.count_read(len(content))
                try:
                    text = content.decode("utf-8")
                except UnicodeDecodeError:
                    return Unknown(f"holds {info.filename}, which is not UTF-8 text: not read")
                files.append(SourceFile(info.filename, f"{shown}!/{info.filename}", text))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as error:
            return Unknown(f"is not a zip archive gateaudit can read ({error}): not read")
        for file in files:  # where each is, for the scan cache to take comments written in it from the archive again
            loader.stack.sources.add_member(file.shown, path, loader.max_file_size, place.root, loader.digests[shown],
                                            file.name)
        return tuple(files)

    def _shown(self, place: _Place, path: Path) -> str:
        return (place.prefix + os.path.relpath(path, place.base)).replace(os.sep, "/")

    def _bytes(self, place: _Place, path: Path) -> bytes | Unknown:
        loader = self.loader
        inputs = loader.inputs
        if not path.is_relative_to(place.root) or not inputs.resolve(path).is_relative_to(place.root):
            return Unknown("is outside the repository: not read")
        if not inputs.exists(path):
            return Unknown("does not exist in the repository (written before apply?): not read")
        data = inputs.read(path, loader.max_file_size, place.root)
        if isinstance(data, str):
            return Unknown(f"is not read: {data}")
        if len(data) > loader.max_file_size:
            return Unknown(f"is larger than the file size limit of {limits.show_size(loader.max_file_size)}: "
                           "not read (raise the limit with --max-file-size)")
        if loader.bytes_read + len(data) > loader.max_scan_size:
            self.refused = True
            return Unknown(f"would take the files read past the scan size limit of "
                           f"{limits.show_size(loader.max_scan_size)}: not read (raise it with --max-scan-size)")
        loader.count_read(len(data))
        loader.digests[self._shown(place, path)] = inputs.sha256[str(path)]
        return data

    def _read(self, place: _Place, path: Path) -> str | Unknown:
        data = self._bytes(place, path)
        if isinstance(data, Unknown):
            return data
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            return Unknown(f"is not valid UTF-8 (byte 0x{data[error.start]:02x}): Terraform refuses it")
        shown = self._shown(place, path)  # report snippets of what a finding points at: read again from the file
        self.loader.stack.sources.add(shown, path, self.loader.max_file_size, place.root, self.loader.digests[shown],
                                      strip_bom=False)
        return text


def _parse_template(text: str) -> Any:
    if text.count("${") + text.count("%{") > MAX_TEMPLATE_PARTS:
        return Unknown(f"has more than {MAX_TEMPLATE_PARTS} interpolations and directives: not rendered")
    try:
        return parse_template(text, 1)
    except ParseError as error:
        return Unknown(f"is not a valid template (line {error.line}: {error.message})")
    except RecursionError:
        return Unknown("is nested too deeply to render")
