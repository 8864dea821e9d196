"""Build the corpus of hostile and malformed inputs (issue 14) into a folder.

Nothing here is committed as a binary: every file is made by :func:`build`, which
returns the cases run by ``tests/hostile/test_hostile.py``. Run it as a script to
look at the files::

    .venv/bin/python -m tests.hostile.corpus /tmp/hostile

A planted secret (``secret/id_rsa``, outside every folder a case may read) holds
:data:`SECRET`; archives, symbolic links and paths point at it, at ``/etc/passwd``,
``/dev/zero`` and ``/etc``. Each case names the inputs it may read (``allowed``),
the words its message must contain (the file and the problem), and how it is run:
the ``evaluation`` command (exit status 1 or 2) or a Python function (a
``DataError``).
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "data" / "example"
CODEBOOK = ROOT / "codebooks" / "focus_groups.yaml"

#: Planted in ``secret/id_rsa``; no byte of it may appear in any output.
SECRET = "SERGEL-HOSTILE-SECRET-7f3a9c"
PRIVATE_KEY = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    f"b3BlbnNzaC1rZXktdjEAAAAA{SECRET}AAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)
#: Text that must never appear in output either (contents of files outside the inputs).
FORBIDDEN = (SECRET, "root:x:0:0", "BEGIN OPENSSH PRIVATE KEY")


@dataclass
class Case:
    """One hostile input and how to run it.

    ``cli``: arguments of ``python -m evaluation.cli``; ``call``: ``module:function``
    with ``args`` (strings) and ``kwargs``. ``words``: every one must appear in the
    output (case-insensitive). ``inputs``: files and folders whose bytes must not change.
    """

    name: str
    words: tuple[str, ...]
    inputs: list[Path]
    cli: list[str] | None = None
    call: str | None = None
    args: list[str] = field(default_factory=list)
    kwargs: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------- zip files
def raw_zip(path: Path, members: list[dict], entries: int | None = None) -> Path:
    """Write a zip by hand, so that sizes, flags, methods and CRCs can lie.

    Each member: ``name``, ``data`` (the bytes as stored), optional ``plain`` (what
    they unpack to, for the default CRC and size), ``method`` (0 stored, 8 deflated),
    ``flags``, ``crc``, ``size`` (declared unpacked size). ``entries`` overrides the
    member count in the end record.
    """
    out, central = bytearray(), bytearray()
    for m in members:
        name = m["name"].encode()
        data = m["data"]
        plain = m.get("plain", data)
        crc = m.get("crc", zlib.crc32(plain))
        size = m.get("size", len(plain))
        method, flags = m.get("method", 0), m.get("flags", 0)
        offset = len(out)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, flags, method, 0, 0x21, crc, len(data), size,
            len(name), 0,
        )  # fmt: skip
        out += name + data
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, method, 0, 0x21, crc, len(data),
            size, len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += name
    n = len(members) if entries is None else entries
    cd = len(out)
    out += central
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, n & 0xFFFF, n & 0xFFFF, len(central), cd, 0)
    path.write_bytes(bytes(out))
    return path


def deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def deflated_zeros(n: int) -> bytes:
    """Raw deflate of ``n`` zero bytes, made in blocks (a bomb of ``n / 1000`` bytes)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block, parts, left = bytes(1 << 20), [], n
    while left > 0:
        parts.append(c.compress(block[: min(left, len(block))]))
        left -= len(block)
    parts.append(c.flush())
    return b"".join(parts)


TEXT = (
    "[00:00:05] MOD: Hur ser ni på konsten?\n\n"
    "[00:00:12] POL1: Langarna flyttade bara runt hörnet.\n\n"
    "[00:00:30] UJ1: Det lockar hit unga tjejer, det oroar mig.\n"
)
CODE_GUID = "a1b2c3d4-0000-4000-8000-000000000001"
USER_GUID = "a1b2c3d4-0000-4000-8000-0000000000aa"


def qde(
    source_attrs: str = 'plainTextPath="internal://s1.txt"',
    selections: str = "",
    codes: str | None = None,
    project_attrs: str = "",
    prolog: str = "",
) -> bytes:
    """A small ``project.qde``; ``source_attrs`` and ``selections`` make it hostile."""
    codes = codes if codes is not None else f'<Code guid="{CODE_GUID}" name="Trygghet"/>'
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}'
        f'<Project xmlns="urn:QDA-XML:project:1.0" name="Hostile"{project_attrs}>'
        f'<Users><User guid="{USER_GUID}" name="Anna"/></Users>'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook>"
        f'<Sources><TextSource guid="b1b2c3d4-0000-4000-8000-000000000001" name="fg1.txt"'
        f" {source_attrs}>{selections}</TextSource></Sources></Project>"
    ).encode()


def selection(guid: str, start: object, end: object) -> str:
    return (
        f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}"'
        f' creatingUser="{USER_GUID}"><Coding guid="{guid[:-4]}ffff"><CodeRef'
        f' targetGUID="{CODE_GUID}"/></Coding></PlainTextSelection>'
    )


def qdpx(path: Path, project: bytes, sources: dict[str, bytes] | None = None) -> Path:
    sources = {"sources/s1.txt": TEXT.encode("utf-8")} if sources is None else sources
    members = [{"name": "project.qde", "data": deflate(project), "plain": project, "method": 8}]
    members += [{"name": n, "data": d} for n, d in sources.items()]
    return raw_zip(path, members)


# ----------------------------------------------------------------------------- cases
def _qdpx_cases(root: Path, secret: Path) -> list[Case]:
    d = root / "qdpx"
    d.mkdir()
    srcdir = root / "external"  # a folder of external sources the caller names
    srcdir.mkdir()
    (srcdir / "fg1.txt").write_text(TEXT, encoding="utf-8")
    (srcdir / "link.txt").symlink_to(secret)
    out = root / "out"
    cases: list[Case] = []

    # through `evaluation codebook import` too (every archive goes through read_qdpx)
    via_cli = {
        "abs-passwd", "abs-secret", "basepath", "symlink-sources-dir", "dev-zero",
        "fifo-sources-dir", "bomb-declared", "encrypted", "bad-crc", "selection-offsets",
        "archive-is-fifo",
    }  # fmt: skip

    def both(name: str, path: Path, words: tuple[str, ...], sources_dir: Path | None = None):
        """The archive through read_qdpx (and `evaluation codebook import`, see via_cli)."""
        inside = sources_dir is not None and root in sources_dir.parents
        inputs = [path] + ([sources_dir] if inside else [])  # never hash /dev
        kw = {"sources_dir": str(sources_dir)} if sources_dir else {}
        cases.append(
            Case(
                f"qdpx-{name}-py",
                words,
                inputs,
                call="evaluation.coding.refiqda:read_qdpx",
                args=[str(path)],
                kwargs=kw,
            )
        )
        if name not in via_cli:
            return
        extra = ["--sources-dir", str(sources_dir)] if sources_dir else []
        cases.append(
            Case(
                f"qdpx-{name}-cli",
                words,
                inputs,
                cli=["codebook", "import", str(path), "--to", str(out / name), *extra],
            )
        )

    # 1 confinement
    p = qdpx(d / "abs_passwd.qdpx", qde('plainTextPath="absolute:///etc/passwd"'), {})
    both("abs-passwd", p, ("abs_passwd.qdpx", "fg1.txt", "outside the archive"))
    p = qdpx(d / "abs_secret.qdpx", qde(f'plainTextPath="absolute://{secret}"'), {})
    both("abs-secret", p, ("abs_secret.qdpx", "outside the archive"))
    p = qdpx(
        d / "basepath.qdpx",
        qde('plainTextPath="relative://etc/hostname"', project_attrs=' basePath="file:///"'),
        {},
    )
    both("basepath", p, ("basepath.qdpx", "outside the archive"))
    p = qdpx(d / "dotdot.qdpx", qde('plainTextPath="relative://../secret/id_rsa"'), {})
    both("dotdot-sources-dir", p, ("dotdot.qdpx", "outside the sources folder"), srcdir)
    p = qdpx(d / "link.qdpx", qde('plainTextPath="relative://link.txt"'), {})
    both("symlink-sources-dir", p, ("link.qdpx", "outside the sources folder"), srcdir)
    p = qdpx(d / "abs_outside.qdpx", qde(f'plainTextPath="absolute://{secret}"'), {})
    both("abs-outside-sources-dir", p, ("abs_outside.qdpx", "outside the sources folder"), srcdir)
    p = qdpx(d / "devzero.qdpx", qde('plainTextPath="absolute:///dev/zero"'), {})
    both("dev-zero", p, ("devzero.qdpx", "outside the archive"))
    both("dev-zero-sources-dir", p, ("devzero.qdpx", "character device"), Path("/dev"))
    p = qdpx(d / "etcdir.qdpx", qde('plainTextPath="absolute:///etc"'), {})
    both("etc-folder", p, ("etcdir.qdpx", "outside the archive"))
    (srcdir / "sub").mkdir()
    p = qdpx(d / "subdir.qdpx", qde('plainTextPath="relative://sub"'), {})
    both("folder-sources-dir", p, ("subdir.qdpx", "folder"), srcdir)
    fifo_dir = root / "fifo_sources"
    fifo_dir.mkdir()
    os.mkfifo(fifo_dir / "fg1.txt")
    p = qdpx(d / "fifo.qdpx", qde('plainTextPath="relative://fg1.txt"'), {})
    both("fifo-sources-dir", p, ("fifo.qdpx", "FIFO"), fifo_dir)

    # 2 bounds
    big = 300 * 1024 * 1024
    bomb = deflated_zeros(big)
    p = raw_zip(
        d / "bomb.qdpx",
        [
            {"name": "project.qde", "data": qde(), "method": 0},
            {
                "name": "sources/s1.txt",
                "data": bomb,
                "plain": b"",
                "crc": 0,
                "size": big,
                "method": 8,
            },
        ],
    )
    both("bomb-declared", p, ("bomb.qdpx", "sources/s1.txt", "limit"))
    p = raw_zip(
        d / "bomb_liar.qdpx",
        [
            {"name": "project.qde", "data": qde(), "method": 0},
            {
                "name": "sources/s1.txt",
                "data": bomb,
                "plain": b"",
                "crc": 1,
                "size": 1000,
                "method": 8,
            },
        ],
    )
    both("bomb-lying-size", p, ("bomb_liar.qdpx", "sources/s1.txt", "damaged"))
    p = raw_zip(
        d / "huge_decl.qdpx",
        [{"name": "project.qde", "data": qde(), "plain": b"", "crc": 0, "size": 2**31}],
    )
    both("declared-2gib", p, ("huge_decl.qdpx", "project.qde", "limit"))
    p = raw_zip(d / "members.qdpx", [{"name": "project.qde", "data": qde()}], entries=65535)
    both("member-count", p, ("members.qdpx",))
    p = raw_zip(
        d / "total.qdpx",
        [{"name": "project.qde", "data": qde(), "method": 0}]
        + [
            {"name": f"sources/s{k}.txt", "data": b"", "crc": 0, "size": 60 * 1024 * 1024}
            for k in range(1, 4)
        ],
    )
    cases.append(
        Case(
            "qdpx-total-unpacked-py",
            ("total.qdpx", "limit"),
            [p],
            call="tests.hostile.corpus:read_all_members",
            args=[str(p)],
        )
    )
    many = "".join(
        f'<Code guid="c{k:07d}-0000-4000-8000-000000000000" name="K{k}"/>' for k in range(300_000)
    )
    p = qdpx(d / "many_codes.qdpx", qde(codes=many))
    both("300000-codes", p, ("many_codes.qdpx", "more than the limit"))
    lines = b"x\n" * 2_000_000
    p = raw_zip(
        d / "lines.qdpx",
        [
            {"name": "project.qde", "data": qde(), "method": 0},
            {"name": "sources/s1.txt", "data": deflate(lines), "plain": lines, "method": 8},
        ],
    )
    both("source-of-tiny-lines", p, ("lines.qdpx", "sources/s1.txt", "lines, more than"))
    deep = "".join(
        f'<Code guid="c{k:06d}-0000-4000-8000-000000000000" name="k{k}">' for k in range(600)
    )
    deep += "</Code>" * 600
    p = qdpx(d / "deep.qdpx", qde(codes=deep))
    both("codes-600-deep", p, ("deep.qdpx", "nested more than"))
    laughs = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    )
    p = qdpx(d / "laughs.qdpx", qde(prolog=laughs))
    both("xml-entities", p, ("laughs.qdpx", "DTD"))
    ext = f'<!DOCTYPE p [<!ENTITY s SYSTEM "file://{secret}">]>'
    p = qdpx(d / "xxe.qdpx", qde(prolog=ext))
    both("xml-external-entity", p, ("xxe.qdpx", "DTD"))

    # 3 malformed archives and data
    p = raw_zip(d / "noqde.qdpx", [{"name": "sources/s1.txt", "data": TEXT.encode()}])
    both("missing-project-qde", p, ("noqde.qdpx", "project.qde"))
    p = raw_zip(d / "encrypted.qdpx", [{"name": "project.qde", "data": qde(), "flags": 1}])
    both("encrypted", p, ("encrypted.qdpx", "project.qde", "encrypted"))
    p = raw_zip(d / "zstd.qdpx", [{"name": "project.qde", "data": qde(), "method": 93}])
    both("unknown-compression", p, ("zstd.qdpx", "project.qde", "compression method 93"))
    p = raw_zip(d / "crc.qdpx", [{"name": "project.qde", "data": qde(), "crc": 12345}])
    both("bad-crc", p, ("crc.qdpx", "project.qde", "crc"))
    (d / "notzip.qdpx").write_bytes(b"PK\x03\x04 but nothing after")
    both("not-a-zip", d / "notzip.qdpx", ("notzip.qdpx", "not a .qdpx archive"))
    full = qdpx(d / "full.qdpx", qde())
    data = full.read_bytes()
    (d / "truncated.qdpx").write_bytes(data[: len(data) // 2])
    both("truncated", d / "truncated.qdpx", ("truncated.qdpx", "not a .qdpx archive"))
    p = qdpx(d / "cp1252.qdpx", qde(), {"sources/s1.txt": b"MOD: hej \x81\x8d\x90 d\xe5"})
    both("undecodable", p, ("cp1252.qdpx", "sources/s1.txt", "offset", "Windows-1252"))
    sels = (
        selection("d0000000-0000-4000-8000-00000000neg1", -5, 10)
        + selection("d0000000-0000-4000-8000-0000000past", 10, 99999)
        + selection("d0000000-0000-4000-8000-000000000rev", 30, 20)
    )
    p = qdpx(d / "offsets.qdpx", qde(selections=sels))
    both(
        "selection-offsets",
        p,
        ("offsets.qdpx", "neg1", "past", "000rev", "fg1.txt", "99999", "negative", "after"),
    )
    p = qdpx(
        d / "nonint.qdpx", qde(selections=selection("d0000000-0000-4000-8000-00000000nan1", "x", 5))
    )
    both("selection-not-number", p, ("nonint.qdpx", "nan1", "whole numbers"))
    p = qdpx(
        d / "unknown_code.qdpx",
        qde(
            selections=selection("d0000000-0000-4000-8000-000000000001", 0, 5).replace(
                CODE_GUID, "ffffffff-0000-4000-8000-000000000000"
            )
        ),
    )
    both("unknown-code", p, ("unknown_code.qdpx", "unknown code"))

    # a folder or a FIFO where the archive should be
    (d / "folder.qdpx").mkdir()
    both("archive-is-folder", d / "folder.qdpx", ("folder.qdpx", "folder"))
    os.mkfifo(d / "pipe.qdpx")
    both("archive-is-fifo", d / "pipe.qdpx", ("pipe.qdpx", "FIFO"))
    return cases


def read_all_members(path: str) -> None:
    """Read every member of an archive through the bounded reader (the total limit)."""
    from evaluation.sources.refiqda.archive import QdpxArchive

    arc = QdpxArchive(Path(path), path)
    try:
        for name in sorted(arc.names):
            arc.read(name)
    finally:
        arc.close()


def _yaml_cases(root: Path, secret: Path) -> list[Case]:
    d = root / "yaml"
    d.mkdir()
    cases: list[Case] = []

    via_python = {"alias-bomb", "recursive-alias", "parent-chain-5000", "qdc-folder"}

    def both(name: str, path: Path, words: tuple[str, ...]):
        """`evaluation codebook check` (and load_codebook, see via_python)."""
        cases.append(Case(f"yaml-{name}-cli", words, [path], cli=["codebook", "check", str(path)]))
        if name not in via_python:
            return
        cases.append(
            Case(
                f"yaml-{name}-py",
                words,
                [path],
                call="evaluation.coding.codebook:load_codebook",
                args=[str(path)],
            )
        )

    head = 'codebook: {id: t, title: T, version: "1", language: sv}\n'
    # the 440-byte billion laughs
    lol = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for n in "bcdefghi":
        lol += f"{n}: &{n} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = n
    (d / "laughs.yaml").write_text(head + lol + "codes: [*i]\n")
    both("alias-bomb", d / "laughs.yaml", ("laughs.yaml", "aliases"))
    (d / "deep.yaml").write_text(head + "codes: " + "[" * 300 + "]" * 300 + "\n")
    both("nested-300", d / "deep.yaml", ("deep.yaml", "nested more than"))
    chain = "".join(
        f"  - {{id: c{k}, label: C, parent: {f'c{k - 1}' if k else 'null'}}}\n" for k in range(5000)
    )
    (d / "chain.yaml").write_text(head + "codes:\n" + chain)
    both("parent-chain-5000", d / "chain.yaml", ("chain.yaml", "nested more than"))
    (d / "recursive.yaml").write_text(head + "codes: &c [{id: a, label: A, children: *c}]\n")
    both("recursive-alias", d / "recursive.yaml", ("recursive.yaml", "contains it"))
    (d / "tag.yaml").write_text(head + "codes: !!python/object/apply:os.system [id]\n")
    both("python-tag", d / "tag.yaml", ("tag.yaml", "tag"))
    with open(d / "huge.yaml", "wb") as fh:  # sparse: 100 MB declared, nothing written
        fh.truncate(100 * 1024 * 1024)
    both("huge", d / "huge.yaml", ("huge.yaml", "limit"))
    (d / "link.yaml").symlink_to("/dev/zero")
    both("dev-zero", d / "link.yaml", ("link.yaml", "character device"))
    os.mkfifo(d / "pipe.yaml")
    both("fifo", d / "pipe.yaml", ("pipe.yaml", "FIFO"))
    (d / "folder.yaml").mkdir()
    both("folder", d / "folder.yaml", ("folder.yaml", "folder"))
    (d / "folder.qdc").mkdir()
    both("qdc-folder", d / "folder.qdc", ("folder.qdc", "folder"))
    (d / "latin1.yaml").write_bytes(
        (head + "codes: [{id: a, label: Tr\xe5ngsel}]\n").encode("cp1252")
    )
    both("not-utf8", d / "latin1.yaml", ("latin1.yaml", "offset", "UTF-8"))
    # parameter files go through the same loader (evaluation.config -> yamlio)
    cases.append(
        Case(
            "params-alias-bomb-py",
            ("laughs.yaml", "aliases"),
            [d / "laughs.yaml"],
            call="evaluation.yamlio:load_yaml_file",
            args=[str(d / "laughs.yaml")],
        )
    )
    # export: a control character in a label; overwriting without --force
    (d / "control.yaml").write_text(
        head + 'codes:\n  - {id: ok, label: OK}\n  - {id: bell, label: "Ring\\a"}\n'
    )
    cases.append(
        Case(
            "export-control-character-cli",
            ("bell", "control character"),
            [d / "control.yaml"],
            cli=[
                "codebook",
                "export",
                str(d / "control.yaml"),
                "--to",
                str(root / "out" / "c.qdc"),
            ],
        )
    )
    existing = root / "out" / "existing.qdc"
    existing.write_text("mine")
    cases.append(
        Case(
            "export-overwrite-cli",
            ("existing.qdc", "--force"),
            [CODEBOOK, existing],
            cli=["codebook", "export", str(CODEBOOK), "--to", str(existing)],
        )
    )
    (root / "out" / "full").mkdir()
    (root / "out" / "full" / "keep.txt").write_text("mine")
    cases.append(
        Case(
            "import-overwrite-cli",
            ("full", "--force"),
            [root / "qdpx" / "full.qdpx", root / "out" / "full"],
            cli=[
                "codebook",
                "import",
                str(root / "qdpx" / "full.qdpx"),
                "--to",
                str(root / "out" / "full"),
            ],
        )
    )
    return cases


def _data_cases(root: Path, secret: Path) -> list[Case]:
    d = root / "data"
    d.mkdir()
    cases: list[Case] = []

    def folder(name: str, change) -> Path:
        f = d / name
        shutil.copytree(EXAMPLE, f, symlinks=True)
        change(f)
        return f

    via_cli = {
        "symlink-secret", "symlink-dev-zero", "fifo", "duplicate-row", "extra-field",
        "swedish-excel", "million-problems",
    }  # fmt: skip

    def both(name: str, f: Path, words: tuple[str, ...]):
        """load_dataset (and `evaluation validate`, see via_cli)."""
        cases.append(
            Case(
                f"data-{name}-py",
                words,
                [f],
                call="evaluation.sources:load_dataset",
                args=[str(f)],
                kwargs={"codebook": str(CODEBOOK)},
            )
        )
        if name not in via_cli:
            return
        cases.append(
            Case(
                f"data-{name}-cli",
                words,
                [f],
                cli=["validate", "--data", str(f), "--codebook", str(CODEBOOK)],
            )
        )

    def replace_with_link(rel: str, target: Path):
        def f(folder: Path):
            (folder / rel).unlink()
            (folder / rel).symlink_to(target)

        return f

    def fifo(rel: str):
        def f(folder: Path):
            (folder / rel).unlink()
            os.mkfifo(folder / rel)

        return f

    def edit(rel: str, fn):
        def f(folder: Path):
            p = folder / rel
            p.write_bytes(fn(p.read_bytes()))

        return f

    both(
        "symlink-secret",
        folder("link_secret", replace_with_link("calendar.csv", secret)),
        ("calendar.csv", "outside the data folder"),
    )
    both(
        "symlink-passwd",
        folder(
            "link_passwd",
            lambda f: (f / "focus_groups/transcripts/zz.txt").symlink_to("/etc/passwd"),
        ),
        ("zz.txt", "outside the data folder"),
    )
    both(
        "symlink-folder-out",
        folder(
            "link_dir",
            lambda f: (shutil.rmtree(f / "crime"), (f / "crime").symlink_to(secret.parent)),
        ),
        ("crime/reported.csv", "outside the data folder"),
    )
    both(
        "symlink-dev-zero",
        folder("link_zero", replace_with_link("survey/safety.csv", Path("/dev/zero"))),
        ("survey/safety.csv", "outside the data folder"),
    )
    both("fifo", folder("fifo", fifo("crime/areas.csv")), ("crime/areas.csv", "FIFO"))
    both(
        "folder-as-file",
        folder("dir_txt", lambda f: (f / "focus_groups/transcripts/x.txt").mkdir()),
        ("x.txt", "folder"),
    )

    def sparse(folder: Path):
        with open(folder / "crime/reported.csv", "r+b") as fh:
            fh.truncate(200 * 1024 * 1024)

    both("huge-csv", folder("huge", sparse), ("crime/reported.csv", "limit"))

    def many_bad_rows(folder: Path):  # 15 MB, 450,000 rows, every one wrong twice over
        row = b"2016-01,sergels_torg,violence,-1\n"
        data = b"month,area,category,count\n" + row * (15_000_000 // len(row))
        (folder / "crime/reported.csv").write_bytes(data)

    both(
        "transcript-of-tiny-lines",
        folder(
            "tiny_lines",
            lambda f: (f / "focus_groups/transcripts/zz.txt").write_bytes(b"x\n" * 20_000_000),
        ),
        ("zz.txt", "lines, more than the limit"),
    )
    both(
        "million-problems",
        folder("many_bad", many_bad_rows),
        ("crime/reported.csv", "more problems in this file"),
    )

    def dup_row(b: bytes) -> bytes:
        lines = b.rstrip(b"\n").split(b"\n")
        return b"\n".join([*lines, lines[1]]) + b"\n"

    f = folder("dup_row", edit("crime/reported.csv", dup_row))
    last = len((f / "crime/reported.csv").read_bytes().rstrip(b"\n").split(b"\n"))
    both("duplicate-row", f, ("crime/reported.csv", f":{last}:", "also on line 2"))

    def extra_field(b: bytes) -> bytes:
        lines = b.split(b"\n")
        lines[2] += b",extra"
        lines[4] = lines[4].rsplit(b",", 1)[0] + b",many"
        return b"\n".join(lines)

    both(
        "extra-field",
        folder("extra", edit("crime/reported.csv", extra_field)),
        ("crime/reported.csv:3", "5 values", "crime/reported.csv:5", "'many'"),
    )

    def excel(b: bytes) -> bytes:
        t = b.decode().replace(",", ";")
        import re

        return re.sub(r"(\d)\.(\d)", r"\1,\2", t).encode()

    both(
        "swedish-excel",
        folder("excel", edit("crime/areas.csv", excel)),
        ("crime/areas.csv", "';' between values", "decimal", "Excel", "save"),
    )
    both(
        "swedish-excel-cp1252",
        folder(
            "excel1252",
            edit(
                "crime/areas.csv",
                lambda b: excel(b).decode().replace("area", "områd").encode("cp1252"),
            ),
        ),
        ("crime/areas.csv", "offset", "UTF-8", "Excel"),
    )
    both(
        "transcript-not-utf8",
        folder(
            "latin1",
            edit(
                "focus_groups/transcripts/" + _first_transcript(),
                lambda b: b + b"\n\nMOD: \x81\xe5\n",
            ),
        ),
        ("focus_groups/transcripts", "offset", "UTF-8"),
    )
    return cases


def _first_transcript() -> str:
    return sorted(p.name for p in (EXAMPLE / "focus_groups" / "transcripts").glob("*.txt"))[0]


def build(root: str | Path) -> list[Case]:
    """Make every hostile file under ``root`` (which must be empty or new); the cases."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "secret").mkdir()
    secret = root / "secret" / "id_rsa"
    secret.write_text(PRIVATE_KEY)
    (root / "out").mkdir()
    return _qdpx_cases(root, secret) + _yaml_cases(root, secret) + _data_cases(root, secret)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-corpus")
    for case in build(out):
        how = ("evaluation " + " ".join(case.cli)) if case.cli else f"{case.call}{tuple(case.args)}"
        print(f"{case.name}: {how}")
