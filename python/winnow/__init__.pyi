"""Type stubs for winnow, a binding of libwinnow (the C extension is winnow._winnow)."""

from collections.abc import Iterable
from os import PathLike
from typing import Final, TypeAlias, final

__version__: Final[str]

_Path: TypeAlias = str | bytes | PathLike[str] | PathLike[bytes]
_Rules: TypeAlias = _Path | Iterable[_Path] | None
# str, or bytes-like input read as UTF-8
_Text: TypeAlias = str | bytes | bytearray | memoryview

@final
class Block(tuple[str, bool, str | None, int, float | None, str | None]):
    """One block of a document and winnow's decision on it (Cleaner.explain)."""

    @property
    def text(self) -> str:
        """The block as read (repaired UTF-8, not yet normalized)."""
    @property
    def kept(self) -> bool:
        """True when the block is part of the article."""
    @property
    def reason(self) -> str | None:
        """What decided: a rule's 'file:line', a context pass, or the model."""
    @property
    def line(self) -> int:
        """The block's 1-based line in the input."""
    @property
    def score(self) -> float | None:
        """The model's probability of article text; None when a rule or pass decided."""
    @property
    def path(self) -> str | None:
        """HTML input: the block's element path; None for text."""
    __match_args__: Final = ("text", "kept", "reason", "line", "score", "path")
    n_fields: Final[int]
    n_sequence_fields: Final[int]
    n_unnamed_fields: Final[int]

@final
class Cleaner:
    """A reusable, thread-safe cleaner: rules loaded once, clean() from any thread."""

    def __init__(
        self,
        rules: _Rules = None,
        default_rules: bool = True,
        *,
        html: bool | None = None,
        no_title: bool = False,
        lang: str | None = None,
        nfkc: bool = False,
        ascii_punct: bool = False,
    ) -> None:
        """Load the rules; OSError, ValueError (file:line) or TypeError on bad input."""
    def clean(self, text: _Text, /) -> str:
        """Return the article in text (the GIL is released while cleaning)."""
    def explain(self, text: _Text, /) -> list[Block]:
        """Return every block's decision, in input order."""

def clean(
    text: _Text,
    *,
    html: bool | None = None,
    no_title: bool = False,
    lang: str | None = None,
    nfkc: bool = False,
    ascii_punct: bool = False,
    rules: _Rules = None,
    default_rules: bool = True,
) -> str:
    """Return the article in text, its boilerplate removed."""
