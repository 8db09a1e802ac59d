"""A Lambda function's code, found from its Terraform (issue 17): what the authorizer rules will judge.

The package is found as Terraform builds or uploads it:
- `filename` set to a `data "archive_file"`'s `output_path`: the archive's `source_dir`, `source_file` or
  `source { content, filename }` blocks, as written;
- `filename` naming a zip in the repository: its members;
- otherwise, the folder of the module that declares the function, when it holds the handler's file
  (`handler = "handler.handler"` beside `main.tf`: a zip built from it by CI).
Everything is read through the stack's file reader (`gateaudit.files`): inside the repository, within the
limits. What cannot be read is an `Unknown` saying why, never an empty package: code in S3 or a container
image, a zip built outside the repository, a runtime other than Python and Node.js.
"""

from __future__ import annotations

from .model import ACCOUNT_ORIGIN, Block, FunctionCode, Location, SourceFile, Unknown

LANGUAGES = {"python": ("python3", (".py",)), "node": ("nodejs", (".js", ".mjs", ".cjs", ".ts"))}


def locate(function: Block) -> FunctionCode | Unknown:
    """The code of an `aws_lambda_function`, or why it cannot be read."""
    if function.location.origin == ACCOUNT_ORIGIN:
        return Unknown("it is read from the account, which shows a function's settings, not its code (gateaudit "
                       "audit never downloads code): scan the repository that builds it")
    for argument in ("image_uri", "package_type", "s3_bucket"):
        value = function.value(argument)
        if isinstance(value, Unknown):
            return Unknown(f"its {argument} cannot be resolved ({value.reason})", value.refs)
    # A plan or state writes arguments the configuration leaves unset as "" or null.
    if function.value("image_uri") not in (None, "") or function.value("package_type") == "Image":
        return Unknown("it runs a container image: its code is not in the repository")
    if function.value("s3_bucket") not in (None, ""):
        return Unknown("its package is an S3 object (s3_bucket, s3_key): not in the repository")
    runtime, handler = function.value("runtime"), function.value("handler")
    for name, value in (("runtime", runtime), ("handler", handler)):
        if isinstance(value, Unknown):
            return Unknown(f"its {name} cannot be resolved ({value.reason})", value.refs)
        if not isinstance(value, str):
            return Unknown(f"its {name} is not set")
    language = next((name for name, (prefix, _) in LANGUAGES.items() if runtime.startswith(prefix)), None)
    if language is None:
        return Unknown(f"its runtime is {runtime}: gateaudit reads Python and Node.js code")
    suffixes = LANGUAGES[language][1]
    files = function.module.budget.files
    if files is None:
        return Unknown("no file of the repository is read in this scan")
    filename = function.get("filename")
    archives = [b for b in filename.referenced_blocks("archive_file") if b.kind == "data"] if filename else []
    if archives:
        return _archived(archives[0], language, handler, suffixes)
    path = filename.value if filename is not None else None
    if isinstance(path, Unknown):
        return Unknown(f"its filename cannot be resolved ({path.reason})", path.refs)
    if isinstance(path, str):
        found = files.sources(function.module, path, suffixes)
        if not isinstance(found, Unknown):
            return FunctionCode(language, handler, found, f"the zip {files.shown(function.module, path) or path}")
    beside = _beside(function, language, handler, suffixes)
    if beside is not None:
        return beside
    if isinstance(path, str):
        return Unknown(f"its package {path} {found.reason}, and the folder of its module holds no "
                       f"{handler.rpartition('.')[0]} file")
    return Unknown("it names no package (filename, s3_bucket or image_uri)")


def _archived(archive: Block, language: str, handler: str, suffixes: tuple[str, ...]) -> FunctionCode | Unknown:
    """The files a `data "archive_file"` zips, as its arguments name them."""
    files = archive.module.budget.files
    inline = archive.blocks("source")
    if inline:
        found = []
        for block in inline:
            content, name = block.value("content"), block.value("filename")
            if not isinstance(content, str) or not isinstance(name, str):
                return Unknown(f"{archive.address} has a source block whose content or filename cannot be resolved")
            written = block.get("content")
            found.append(SourceFile(name, written.location.file, content, _first_line(archive, written.location)))
        return FunctionCode(language, handler, tuple(found), f"the source blocks of {archive.address}")
    for argument in ("source_dir", "source_file"):
        path = archive.value(argument)
        if isinstance(path, Unknown):
            return Unknown(f"{archive.address}.{argument} cannot be resolved ({path.reason})", path.refs)
        if isinstance(path, str):
            found = files.sources(archive.module, path, suffixes)
            if isinstance(found, Unknown):
                return Unknown(f"{archive.address}.{argument} {path} {found.reason}")
            return FunctionCode(language, handler, found, f"{files.shown(archive.module, path) or path}, zipped by "
                                                          f"{archive.address}")
    return Unknown(f"{archive.address} names no source_dir, source_file or source block")


def _beside(function: Block, language: str, handler: str, suffixes: tuple[str, ...]) -> FunctionCode | None:
    """The module's own folder, when it holds the handler's file: CI zips it before `terraform apply`."""
    folder = str(function.module.directory)
    files = function.module.budget.files
    name = handler.rpartition(".")[0].replace(".", "/")
    if all(isinstance(files.sources(function.module, f"{folder}/{name}{suffix}", suffixes), Unknown)
           for suffix in suffixes):
        return None  # no handler file here: the folder is not the package (and is not read)
    found = files.sources(function.module, folder, suffixes)
    if isinstance(found, Unknown):
        return None
    code = FunctionCode(language, handler, found, f"the folder {files.shown(function.module, folder) or folder}")
    entry, _ = code.entry()
    return code if entry is not None else None


def _first_line(block: Block, where: Location) -> int:
    """The line of the .tf file a `content` argument's first line of text is on: the next one for a heredoc."""
    text = block.module.budget.files.loader.stack.sources.get(where.file, "") if block.module.budget.files else ""
    lines = text.splitlines()
    written = lines[where.line - 1] if 0 < where.line <= len(lines) else ""
    return where.line + 1 if "<<" in written else where.line
