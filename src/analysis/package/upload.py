"""Unpacking a user's zipped data package into a private folder, refusing anything unsafe.

Nothing in the archive is trusted: names that climb out of the folder, absolute names, links,
too many or too large members and suspicious compression ratios (zip bombs) are refused before
a single byte is written. Sizes are counted while inflating, not read from the headers, which may
lie; a member whose headers understate its size is refused.
"""

from __future__ import annotations

import io
import lzma
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analysis.problems import phrase

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What an upload may be. The README lists these numbers."""

    upload_bytes: int = 50 * MB  # the zip itself
    unpacked_bytes: int = 500 * MB  # all members together, uncompressed
    member_bytes: int = 300 * MB  # one member, uncompressed
    members: int = 200
    ratio: int = 100  # uncompressed / compressed, per member larger than 1 MB


LIMITS = Limits()

# what zipfile and its decompressors raise on a damaged archive (bz2 raises OSError) and what
# writing a member raises for a name the file system refuses (too long, a file where a folder is)
DAMAGED = (
    zipfile.BadZipFile,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
    lzma.LZMAError,
    OSError,
)


class UploadRefused(Exception):
    """The upload is not a safe zip of a data package; `code` names the reason for translation."""

    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(phrase(code, "en", params, table="refusal"))


def _member_problem(info: zipfile.ZipInfo, limits: Limits) -> UploadRefused | None:
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    if name.startswith(("/", "\\")) or path.is_absolute() or (len(name) > 1 and name[1] == ":"):
        return UploadRefused("absolute_path", name=name)
    if not path.parts:  # "" or ".": no name, or the package folder itself
        return UploadRefused("not_zip", name=name)
    if ".." in path.parts:
        return UploadRefused("parent_path", name=name)
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return UploadRefused("link", name=name)
    if info.file_size > limits.member_bytes:
        return UploadRefused("member_too_large", name=name)
    if info.file_size > MB and info.file_size > limits.ratio * max(info.compress_size, 1):
        return UploadRefused("ratio", name=name)
    return None


LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then (after 22 bytes) name and extra lengths


def inflated_size(data: bytes, info: zipfile.ZipInfo, limit: int) -> int:
    """How many bytes member INFO of the zip DATA really inflates to, counted while inflating and
    stopping once past LIMIT (the answer is then LIMIT + 1): the sizes in its headers may lie."""
    signature, name_length, extra_length = LOCAL_HEADER.unpack_from(data, info.header_offset)
    if signature != b"PK\x03\x04" or info.flag_bits & 0x1:  # no local header, or encrypted
        raise UploadRefused("not_zip", name=info.filename)
    start = info.header_offset + LOCAL_HEADER.size + name_length + extra_length
    compressed = memoryview(data)[start : start + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        return min(len(compressed), limit + 1)
    if info.compress_type != zipfile.ZIP_DEFLATED:  # zipfile's own reader stops at the header's size
        return info.file_size
    inflater, counted = zlib.decompressobj(-15), 0
    for offset in range(0, len(compressed), 64 * 1024):
        pending = compressed[offset : offset + 64 * 1024].tobytes()
        while pending and counted <= limit:
            counted += len(inflater.decompress(pending, MB))
            pending = inflater.unconsumed_tail
        if counted > limit:
            return limit + 1
    return counted + len(inflater.flush())


def measured_sizes(data: bytes, members: list[zipfile.ZipInfo], limits: Limits) -> dict[str, int]:
    """Each member's inflated size, counted: refused when one is larger than a member may be,
    all together larger than the archive may unpack to, when a size differs from what its
    headers say, or when a large member is compressed suspiciously well."""
    sizes, total = {}, 0
    for info in members:
        budget = min(limits.member_bytes, limits.unpacked_bytes - total)
        try:
            size = inflated_size(data, info, budget)
        except (struct.error, zlib.error) as error:
            raise UploadRefused("not_zip", name=info.filename) from error
        if size > budget:
            code = "member_too_large" if size > limits.member_bytes else "unpacked_too_large"
            raise UploadRefused(code, name=info.filename, size=total + size)
        if size != info.file_size:
            raise UploadRefused("sizes_lie", name=info.filename)
        if size > MB and size > limits.ratio * max(info.compress_size, 1):
            raise UploadRefused("ratio", name=info.filename)
        sizes[info.filename] = size
        total += size
    return sizes


def unpack_package_zip(data: bytes, target: Path, limits: Limits = LIMITS) -> Path:
    """Check and unpack a zipped package into TARGET (an empty private folder); answer the path
    of its datapackage.json. Raises UploadRefused with a reason."""
    if not data:
        raise UploadRefused("empty")
    if len(data) > limits.upload_bytes:
        raise UploadRefused(
            "too_large",
            size=len(data),
            limit=limits.upload_bytes,
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except DAMAGED as error:
        raise UploadRefused("not_zip") from error
    with archive:
        members = archive.infolist()
        if len(members) > limits.members:
            raise UploadRefused("too_many", count=len(members))
        for info in members:
            problem = _member_problem(info, limits)
            if problem:
                raise problem
        total = sum(info.file_size for info in members)
        if total > limits.unpacked_bytes:
            raise UploadRefused("unpacked_too_large", size=total)
        measured_sizes(data, members, limits)  # what the members really inflate to
        descriptors = [i.filename for i in members if PurePosixPath(i.filename).name == "datapackage.json"]
        if not descriptors:
            raise UploadRefused("no_descriptor")
        descriptor = min(descriptors, key=lambda name: len(PurePosixPath(name).parts))
        root = target.resolve()
        for info in members:
            destination = (root / info.filename).resolve()
            if not destination.is_relative_to(root):
                raise UploadRefused("parent_path", name=info.filename)
            try:
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                else:
                    _write_member(archive, info, destination, limits)
            except DAMAGED as error:  # a damaged member (CRC, compression, encryption) or name
                raise UploadRefused("not_zip", name=info.filename) from error
    return root / descriptor


def _write_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, limits: Limits) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with archive.open(info) as source, open(destination, "wb") as sink:
        # count what really comes out: the sizes in the header may lie
        while chunk := source.read(MB):
            written += len(chunk)
            if written > limits.member_bytes:
                raise UploadRefused("member_too_large", name=info.filename)
            sink.write(chunk)
